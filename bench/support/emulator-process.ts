/**
 * Starts `mediaferry emulator --json` as a separate process, as a user would, so its CPU and memory never
 * count against the tool being measured and every tool talks to the same server.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The committed CLI entry point (runs the built CLI). */
export const CLI_BIN = fileURLToPath(new URL('../../../packages/cli/bin/mediaferry.js', import.meta.url));

/** One service as `mediaferry emulator --json` describes it: URL and credentials. */
export interface EmulatedService {
  readonly url: string;
  readonly [credential: string]: unknown;
}

export interface EmulatorProcess {
  readonly pid: number;
  readonly services: Readonly<Record<string, EmulatedService>>;
  /** Peak RSS of the emulator process so far, bytes (Linux `VmHWM`), or undefined elsewhere. */
  peakRss(): Promise<number | undefined>;
  close(): Promise<void>;
}

export async function startEmulatorProcess(
  services: readonly string[],
  options: { data?: string; seed?: string } = {},
): Promise<EmulatorProcess> {
  const args = [CLI_BIN, 'emulator', '--services', services.join(','), '--json', '--port', '0'];
  if (options.data) args.push('--data', options.data);
  if (options.seed) args.push('--seed', options.seed);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start in 60 s\n${stderr}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, newline));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code} before it was ready\n${stderr}`));
    });
  });
  const info = JSON.parse(line) as Record<string, EmulatedService>;
  const pid = child.pid!;
  return {
    pid,
    services: info,
    async peakRss() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
      return kib === undefined ? undefined : Number(kib) * 1024;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
