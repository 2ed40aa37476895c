import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, type Emulator, services } from '@mediaferry/emulator';
import type { Connection } from '../connections.js';
import { copy } from '../copy/engine.js';
import { localSource } from '../copy/local.js';
import { CliError, EXIT } from '../errors.js';
import { colors, formatBytes, formatDuration, type OutputOptions, printJson, table } from '../output.js';
import { copyProgress } from '../progress.js';
import { b2Module } from '../services/b2.js';
import { goproClient } from '../services/gopro.js';
import type { Runtime } from '../services/types.js';

export interface DemoStep {
  readonly name: string;
  readonly items: number;
  readonly bytes: number;
  readonly ms: number;
  readonly detail: string;
}

/** An in-process emulator with demo data, and a connection to it, for one service. */
function embedded(service: string): { emulator: Emulator; connection: Connection } {
  const definition = services[service];
  if (!definition) throw new CliError(`no ${service} emulator in this build`);
  const emulator = createEmulator(definition, { seed: 'demo' }) as Emulator;
  const credentials = emulator.control.credentials();
  return {
    emulator,
    connection: {
      service,
      mode: 'embedded',
      baseUrl: `http://${service}.demo.mediaferry.invalid`,
      fetch: emulator.fetch,
      credentials,
    },
  };
}

/**
 * `mediaferry demo` (and `npm start`): the main job, for real, against in-process emulators: pull a month of
 * GoPro media, copy it to B2 with SHA-1 verification, then print what moved.
 */
export async function runDemo(output: OutputOptions, signal: AbortSignal): Promise<number> {
  const runtime: Runtime = { output, logger: undefined, signal };
  const say = (text: string) => {
    if (!output.json && !output.quiet) process.stdout.write(`${text}\n`);
  };
  const work = await mkdtemp(join(tmpdir(), 'mediaferry-demo-'));
  const steps: DemoStep[] = [];
  const started = performance.now();
  const gopro = embedded('gopro');
  const b2 = embedded('b2');
  try {
    say(colors.bold('mediaferry demo: the main job on embedded emulators (no network, no credentials)\n'));

    say(`${colors.cyan('1/2')} pull October 2026 from the GoPro cloud into ${work}`);
    const client = goproClient(gopro.connection, runtime);
    let t = performance.now();
    const pulled = await client.pullMedia({
      from: new Date('2026-10-01T00:00:00Z'),
      to: new Date('2026-10-31T23:59:59Z'),
      dest: join(work, 'gopro-2026-10'),
      concurrency: 4,
      signal,
    });
    if (pulled.failed.length > 0) throw new CliError(`${pulled.failed.length} GoPro downloads failed`);
    steps.push({
      name: 'GoPro → disk',
      items: pulled.downloaded.length,
      bytes: pulled.bytes,
      ms: performance.now() - t,
      detail: 'pullMedia, best variation per video',
    });

    say(`${colors.cyan('2/2')} copy them to b2://mediaferry-demo/gopro/2026-10/ with SHA-1 verification`);
    t = performance.now();
    const target = await b2Module.target!(
      { kind: 'b2', bucket: 'mediaferry-demo', prefix: 'gopro/2026-10/' },
      b2.connection,
      runtime,
    );
    const progress = copyProgress({ ...output, quiet: true });
    const report = await copy(localSource(join(work, 'gopro-2026-10')), target, {
      concurrency: 4,
      dryRun: false,
      signal,
      observer: progress,
    });
    progress.stop();
    const failed = report.outcomes.filter((o) => o.status === 'failed');
    if (failed.length > 0) throw new CliError(`${failed.length} B2 uploads failed`);
    const verified = report.outcomes.filter((o) => o.status === 'copied').length;
    steps.push({
      name: 'disk → B2',
      items: verified,
      bytes: report.bytes,
      ms: performance.now() - t,
      detail: `${verified} SHA-1 verified by B2`,
    });

    const total = performance.now() - started;
    if (output.json) {
      printJson({ steps, ms: Math.round(total) });
    } else {
      say('');
      say(
        table(
          ['step', 'items', 'bytes', 'time', 'throughput', 'notes'],
          steps.map((s) => [
            s.name,
            String(s.items),
            formatBytes(s.bytes),
            formatDuration(s.ms),
            `${formatBytes(s.bytes / Math.max(s.ms / 1000, 0.001))}/s`,
            s.detail,
          ]),
        ),
      );
      say(`\n${colors.green('✓')} demo finished in ${formatDuration(total)}`);
      say(`\nThe same against the real services:
  export GP_ACCESS_TOKEN=…  B2_APPLICATION_KEY_ID=…  B2_APPLICATION_KEY=…
  mediaferry copy gopro://2026-10-01..2026-10-31 ./october
  mediaferry copy ./october b2://your-bucket/gopro/2026-10/ -j 8
Or against local emulators you can inspect: mediaferry emulator (then point MEDIAFERRY_<SERVICE>_URL at them).`);
    }
    return EXIT.ok;
  } finally {
    await gopro.emulator.close();
    await b2.emulator.close();
    await rm(work, { recursive: true, force: true });
  }
}
