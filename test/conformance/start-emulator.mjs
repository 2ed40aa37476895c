#!/usr/bin/env node
// Starts the built B2 emulator on a free loopback port and prints one JSON line: {url, keyId, key}.
// Options (JSON) may be passed as the first argument, e.g. lowered part sizes for b2sdk's large-file path.
import { b2Service, createEmulator } from '../../packages/emulator/dist/index.js';

const options = process.argv[2] ? JSON.parse(process.argv[2]) : {};
const emulator = createEmulator(b2Service, { seed: 'demo', options });
const server = await emulator.listen({ port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url, ...emulator.control.credentials() })}\n`);
const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
