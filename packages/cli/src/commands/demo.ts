import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPath } from '@mediaferry/core';
import { createEmulator, type Emulator, services } from '@mediaferry/emulator';
import type { Resource } from '@mediaferry/mixcloud';
import type { Connection } from '../connections.js';
import { copy } from '../copy/engine.js';
import { localSource } from '../copy/local-source.js';
import { CliError, EXIT } from '../errors.js';
import { colors, formatBytes, formatDuration, type OutputOptions, printJson, table } from '../output.js';
import { copyProgress } from '../progress/index.js';
import { b2Module } from '../services/b2.js';
import { biggoClient } from '../services/biggo.js';
import { goproClient } from '../services/gopro.js';
import { mixcloudClient } from '../services/mixcloud.js';
import type { Runtime } from '../services/types.js';

export interface DemoStep {
  readonly name: string;
  readonly items: number;
  readonly bytes: number;
  readonly ms: number;
  readonly detail: string;
}

/** Deterministic stand-in audio bytes (the emulator counts them; it never decodes audio). */
function generatedAudio(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 131 + (i >> 9)) & 0xff;
  return bytes;
}

/** An in-process emulator with demo data, and a connection to it, for one service. */
function embedded(
  service: string,
  options: Record<string, unknown> = {},
): { emulator: Emulator; connection: Connection } {
  const definition = services[service];
  if (!definition) throw new CliError(`no ${service} emulator in this build`);
  const emulator = createEmulator(definition, { seed: 'demo', options }) as Emulator;
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
 * GoPro media, copy it to B2 with SHA-1 verification, publish a clip to BigGo and wait for processing, upload
 * a mix to Mixcloud with tags and sections, then print what moved.
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
  // Processing takes 1.5 s here so the demo shows the polling without making anyone wait.
  const biggo = embedded('biggo', { processingMs: 1500 });
  const mixcloud = embedded('mixcloud');
  try {
    say(colors.bold('mediaferry demo: the main job on embedded emulators (no network, no credentials)\n'));

    say(`${colors.cyan('1/4')} pull October 2026 from the GoPro cloud into ${work}`);
    const client = goproClient(gopro.connection, runtime);
    let t = performance.now();
    const pulled = await client.media
      .pull(
        {
          from: new Date('2026-10-01T00:00:00Z'),
          to: new Date('2026-10-31T23:59:59Z'),
          dest: join(work, 'gopro-2026-10'),
          concurrency: 4,
        },
        { signal },
      )
      .done();
    if (pulled.failed.length > 0) throw new CliError(`${pulled.failed.length} GoPro downloads failed`);
    steps.push({
      name: 'GoPro → disk',
      items: pulled.downloaded.length,
      bytes: pulled.bytes,
      ms: performance.now() - t,
      detail: 'media.pull, best variation per video',
    });

    say(`${colors.cyan('2/4')} copy them to b2://mediaferry-demo/gopro/2026-10/ with SHA-1 verification`);
    t = performance.now();
    const target = await b2Module.target!(
      { kind: 'b2', bucket: 'mediaferry-demo', prefix: 'gopro/2026-10/' },
      b2.connection,
      runtime,
      {},
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

    const clip = pulled.downloaded.filter((d) => d.name.endsWith('.MP4')).sort((a, b) => a.size - b.size)[0];
    if (!clip) throw new CliError('no video clip was pulled');
    say(`${colors.cyan('3/4')} publish ${clip.name} to BigGo and wait until it is processed`);
    t = performance.now();
    const bigGo = biggoClient(biggo.connection, runtime);
    const published = await bigGo.videos
      .publish(
        clip.path,
        {
          title: clip.name.replace(/\.MP4$/i, ''),
          description: 'Pulled from GoPro by mediaferry',
          access: 'public',
        },
        { signal },
      )
      .done();
    const videoId = published.video_id;
    const processed = await bigGo.videos.waitUntilProcessed(
      videoId,
      { intervalMs: 500, timeoutMs: 60_000 },
      { signal },
    );
    steps.push({
      name: 'disk → BigGo',
      items: 1,
      bytes: clip.size,
      ms: performance.now() - t,
      detail: `video ${videoId}, ${processed.status.processing ? 'processing' : 'processed'}`,
    });

    say(`${colors.cyan('4/4')} upload a mix to Mixcloud with tags and sections`);
    t = performance.now();
    const mixPath = join(work, 'ferry-mix.mp3');
    await writeFile(mixPath, generatedAudio(3 * 1024 * 1024));
    const mc = mixcloudClient(mixcloud.connection, runtime);
    const uploaded = await mc.upload(fromPath(mixPath), 'Ferry Crossing Mix', {
      description: 'Sounds of the October crossings',
      tags: ['ambient', 'field recordings', 'dub'],
      sections: [
        { chapter: 'Departure', start_time: 0 },
        { artist: 'The Harbour', song: 'Morning Horn', start_time: 95 },
        { artist: 'Gulls', song: 'Wake', start_time: 400 },
      ],
      signal,
    });
    const show = (await mc.get(uploaded.key ?? '', { signal })) as Resource;
    steps.push({
      name: 'disk → Mixcloud',
      items: 1,
      bytes: 3 * 1024 * 1024,
      ms: performance.now() - t,
      detail: `${uploaded.key}, ${(show.get('tags') as unknown[]).length} tags, ${(show.get('sections') as unknown[]).length} sections`,
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
  export BIGGO_CLIENT_ID=…  BIGGO_CLIENT_SECRET=…  MIXCLOUD_ACCESS_TOKEN=…
  mediaferry copy gopro://2026-10-01..2026-10-31 ./october
  mediaferry copy ./october b2://your-bucket/gopro/2026-10/ -j 8
  mediaferry biggo upload ./october/GX101001000.MP4 --title "October" --access public --wait
  mediaferry mixcloud upload mix.mp3 --name "Ferry Crossing Mix" --tag ambient --section "0:Departure"
Or against local emulators you can inspect: mediaferry emulator (then point MEDIAFERRY_<SERVICE>_URL at them).`);
    }
    return EXIT.ok;
  } finally {
    await Promise.all([gopro, b2, biggo, mixcloud].map((e) => e.emulator.close()));
    await rm(work, { recursive: true, force: true });
  }
}
