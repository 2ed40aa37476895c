/**
 * Node's floor for `npm run bench -- gopro-pull`: each URL a bare `node:http` GET piped into its file, N at a
 * time over keep-alive sockets, with none of a client's work (no metadata requests, checks, temporary names or
 * fsync). It imports nothing but Node's own modules: loaded beside a large module graph (the bench's, or
 * undici's), the same loop spends a second more in mark-compacts, and would then be no floor.
 *
 *   node dist/tools/http-floor.js <urls.json> <folder> <concurrency>
 *
 * Prints {"ms": ...} on its last line, timed from the first request.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const [urlsFile, dest, concurrency] = process.argv.slice(2) as [string, string, string];
const urls = JSON.parse(await readFile(urlsFile, 'utf8')) as string[];
await mkdir(dest, { recursive: true });
const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const started = performance.now();
let next = 0;
const worker = async () => {
  while (next < urls.length) {
    const index = next++;
    await new Promise<void>((resolve, reject) => {
      get(urls[index]!, { agent }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`${urls[index]}: HTTP ${response.statusCode}`));
        // 1 MiB writes: with the default 16 KiB the loop runs at a third of curl's speed, not a floor.
        const file = createWriteStream(join(dest, `${index}.bin`), { highWaterMark: 1024 * 1024 });
        pipeline(response, file).then(resolve, reject);
      }).on('error', reject);
    });
  }
};
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started })}\n`);
agent.destroy();
