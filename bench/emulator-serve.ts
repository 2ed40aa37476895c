/**
 * "The emulators are never the bottleneck" (issue 16): curl downloading an N MiB file from the B2 emulator (a
 * `mediaferry emulator` process, blobs on disk under `--data`), stored as one blob and as a large file of
 * parts, against `python3 -m http.server` serving the same bytes from the same disk, all to /dev/null so only
 * the servers differ. Each download is first checked byte for byte (SHA-1) once.
 *
 *   npm run bench -- emulator-serve [MiB=512] [--reps N=3] [--tmp DIR] [--json]
 *
 * Target: the emulator's download ≥ 0.8× the throughput of python3 -m http.server.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { benchArgs } from './support/args.js';
import { startB2Bench } from './support/b2-bench.js';
import { curlUploadParts, splitParts } from './support/curl-b2.js';
import { assertSameBytes, directory, MiB, writeRandomFile } from './support/files.js';
import { Verdicts, withTempDir } from './support/measure.js';
import { measureProcess, requireGnuTime } from './support/process.js';
import { type FigureRow, formatTable, loadLine, median } from './support/report.js';

const BUCKET = 'bench-serve';
const CURL = ['--silent', '--show-error', '--fail'];
const note = (line: string) => process.stderr.write(`${line}\n`);

/** `python3 -m http.server` on a free port of 127.0.0.1, serving `dir`. */
async function startHttpServer(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(
    'python3',
    ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /port (\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`python3 -m http.server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function bench(args: ReturnType<typeof benchArgs>, dir: string): Promise<number> {
  requireGnuTime();
  const loadBefore = loadLine();
  const size = args.sizeMiB * MiB;
  const served = await directory(join(dir, 'served'));
  const source = await writeRandomFile(join(served, 'source.bin'), size);
  const b2 = await startB2Bench(dir, BUCKET);
  const python = await startHttpServer(served);
  try {
    const { raw, bucketId } = b2;
    await b2.seed(source, 'one-blob.bin');
    const partSize = raw.auth.recommendedPartSize;
    const sizes: number[] = [];
    for (let at = 0; at < size; at += partSize) sizes.push(Math.min(partSize, size - at));
    const large = sizes.length > 1;
    if (large) {
      const parts = await splitParts(source, sizes, await directory(join(dir, 'parts')));
      await curlUploadParts(raw, bucketId, 'large-file.bin', parts, 4);
      await raw.verifyStored(bucketId, 'large-file.bin', source, 'setup');
      await rm(join(dir, 'parts'), { recursive: true });
    }
    const auth = ['-H', `Authorization: ${raw.auth.authorizationToken}`];
    const targets: Array<{ id: string; tool: string; args: string[] }> = [
      { id: 'python', tool: 'python3 -m http.server', args: [`${python.url}/source.bin`] },
      { id: 'blob', tool: 'B2 emulator, one blob', args: [...auth, raw.fileUrl(BUCKET, 'one-blob.bin')] },
    ];
    if (large)
      targets.push({
        id: 'large',
        tool: `B2 emulator, large file (${sizes.length} parts)`,
        args: [...auth, raw.fileUrl(BUCKET, 'large-file.bin')],
      });
    for (const target of targets) {
      const file = join(dir, `${target.id}.down`);
      await measureProcess('curl', [...CURL, '-o', file, ...target.args]);
      await assertSameBytes(file, source, target.tool);
      await rm(file);
    }
    const samples = new Map<string, Array<{ ms: number; peakRss: number }>>();
    for (let rep = 1; rep <= args.reps; rep += 1) {
      note(`emulator-serve: round ${rep} of ${args.reps}`);
      for (const target of targets) {
        const result = await measureProcess('curl', [...CURL, '-o', '/dev/null', ...target.args]);
        samples.set(target.id, [...(samples.get(target.id) ?? []), result]);
      }
    }
    const med = (id: string) => median(samples.get(id)!.map((s) => s.ms));
    const rows: FigureRow[] = targets.map((t) => ({
      tool: t.tool,
      size,
      ms: med(t.id),
      ratio: med(t.id) / med('python'),
      peakRss: undefined,
    }));
    const verdicts = new Verdicts({ quiet: args.json });
    if (!args.json)
      process.stdout.write(
        `emulator-serve: curl → /dev/null, median of ${args.reps}; ratio = time ÷ http.server's; emulator --data on disk; ${loadBefore} before, ${loadLine()} after\nemulator peak RSS ${(((await b2.emulator.peakRss()) ?? 0) / MiB).toFixed(0)} MiB\n\n${formatTable(rows)}\n\n`,
      );
    for (const target of targets.slice(1)) {
      const ratio = med('python') / med(target.id);
      verdicts.check(
        `${target.tool} download vs python3 -m http.server`,
        `${ratio.toFixed(2)}× its throughput`,
        ratio >= 0.8,
        '≥ 0.8×',
      );
    }
    if (args.json)
      process.stdout.write(
        `${JSON.stringify({
          bench: 'emulator-serve',
          sizeBytes: size,
          rounds: args.reps,
          load: { before: loadBefore, after: loadLine() },
          rows: targets.map((t) => ({ id: t.id, tool: t.tool, seconds: med(t.id) / 1000 })),
          verdicts: verdicts.list,
        })}\n`,
      );
    return verdicts.failed;
  } finally {
    await python.close();
    await b2.close();
  }
}

const args = benchArgs(process.argv.slice(2), { sizeMiB: 512, reps: 3 });
process.exitCode = (await withTempDir((dir) => bench(args, dir), args.tmp)) === 0 ? 0 : 1;
