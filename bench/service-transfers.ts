/**
 * The BigGo and Mixcloud data paths against curl in the same run (issue 16: every service's data path ≥ 0.8×
 * curl): `BigGoClient.videos.upload` and `MixcloudClient.cloudcasts.upload` (multipart, streamed from disk) against
 * curl posting the same multipart form; `BigGoClient.videos.downloadToFile` (timed from the call, as the uploads
 * are) and `mediaferry copy biggo:// DIR` (the whole process: start-up, token, listing) against curl fetching the
 * same media URL to a file. The emulators run as one `mediaferry emulator` process
 * each (BigGo's blobs on disk). Uploads are checked in the emulator's state, downloads byte for byte. Also the
 * client's peak RSS, flat from a 20 MiB upload, and its progress events.
 *
 *   npm run bench -- service-transfers [bigGoMiB=200] [mixcloudMiB=500] [--reps N=3]
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BigGoClient } from '@mediaferry/biggo';
import { MixcloudClient } from '@mediaferry/mixcloud';
import { startEmulatorProcess } from './support/emulator-process.js';
import { assertSameBytes, MiB, type SourceFile, writeRandomFile } from './support/files.js';
import { mib, Verdicts, withTempDir } from './support/measure.js';
import { lastJsonLine, measureProcess, requireGnuTime } from './support/process.js';
import { type FigureRow, formatTable, loadLine, median } from './support/report.js';
import { cliEnvFor, runCliWith, runDriver } from './support/tool-runs.js';

const script = fileURLToPath(import.meta.url);
const CURL = ['--silent', '--show-error', '--fail', '-o', '/dev/null'];
const note = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Child: one upload through the library, or (`biggo-download`, `file` = `<video id>:<destination>`) one
 * `downloadToFile`; timed from the call (the token is fetched first).
 */
async function child(service: string, url: string, file: string, credential: string): Promise<void> {
  let events = 0;
  const onProgress = () => {
    events += 1;
  };
  if (service === 'biggo-download') {
    const [clientId, clientSecret] = credential.split(':') as [string, string];
    const [videoId, dest] = [file.slice(0, file.indexOf(':')), file.slice(file.indexOf(':') + 1)];
    await using client = new BigGoClient({ clientId, clientSecret, baseUrl: url });
    await client.account.permission();
    const started = performance.now();
    const saved = await client.videos.downloadToFile(videoId, dest, {}, { onProgress }).done();
    process.stdout.write(
      `${JSON.stringify({ ms: performance.now() - started, events, size: saved.size })}\n`,
    );
  } else if (service === 'biggo') {
    const [clientId, clientSecret] = credential.split(':') as [string, string];
    await using client = new BigGoClient({ clientId, clientSecret, baseUrl: url });
    await client.account.permission(); // the token is obtained here, outside the timing
    const started = performance.now();
    const { video_id: id } = await client.videos.upload(file, {}, { onProgress }).done();
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, events, id })}\n`);
  } else {
    const client = new MixcloudClient({ baseUrl: url, accessToken: credential });
    const started = performance.now();
    const result = await client.cloudcasts
      .upload({ mp3: file, name: `bench ${Date.now()}`, onProgress })
      .done();
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, events, result })}\n`);
  }
}

interface Sample {
  readonly ms: number;
  readonly peakRss: number;
}

async function bigGoToken(url: string, clientId: string, secret: string): Promise<string> {
  const response = await fetch(`${url}/auth/v1/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The emulator's record of a BigGo video must hold the source's bytes; then it is deleted (no duplicates). */
async function checkBigGoVideo(url: string, token: string, id: string, source: SourceFile, who: string) {
  const dump = (await (await fetch(`${url}/__emulator/state`)).json()) as {
    state: { videos: Record<string, { sha1: string; size: number }> };
  };
  const video = dump.state.videos[id];
  if (video?.sha1 !== source.sha1 || video.size !== source.size)
    throw new Error(`${who}: the BigGo emulator does not hold the uploaded bytes (${JSON.stringify(video)})`);
  await fetch(`${url}/api/v1/video/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
}

/** The Mixcloud emulator only counts audio bytes: the newest upload must have counted all of them. */
async function checkMixcloudUpload(url: string, size: number, who: string): Promise<void> {
  const dump = (await (await fetch(`${url}/__emulator/state`)).json()) as {
    state: { cloudcasts: Record<string, { mp3_size?: number; created_time?: string }> };
  };
  const sizes = Object.values(dump.state.cloudcasts).map((c) => c.mp3_size);
  if (!sizes.includes(size)) throw new Error(`${who}: no Mixcloud upload of ${size} bytes recorded`);
}

async function parent(args: { bigGoMiB: number; mixcloudMiB: number; reps: number }): Promise<number> {
  requireGnuTime();
  const verdicts = new Verdicts();
  const loadBefore = loadLine();
  return withTempDir(async (dir) => {
    const biggoEmu = await startEmulatorProcess(['biggo'], { data: join(dir, 'biggo'), seed: 'none' });
    const mixcloudEmu = await startEmulatorProcess(['mixcloud'], { seed: 'demo' });
    try {
      const biggo = biggoEmu.services.biggo!;
      const mixcloud = mixcloudEmu.services.mixcloud!;
      const clientId = String(biggo.clientId);
      const secret = String(biggo.clientSecret);
      const mcToken = String(mixcloud.accessToken);
      let token = await bigGoToken(biggo.url, clientId, secret);
      const sources = {
        biggo: await writeRandomFile(join(dir, 'biggo.bin'), args.bigGoMiB * MiB),
        // Different bytes from the uploads': the emulator refuses a second video with the same SHA-1.
        biggoDownload: await writeRandomFile(join(dir, 'biggo-download.bin'), args.bigGoMiB * MiB),
        mixcloud: await writeRandomFile(join(dir, 'mixcloud.bin'), args.mixcloudMiB * MiB),
        small: await writeRandomFile(join(dir, 'small.bin'), 20 * MiB),
      };
      const samples = new Map<string, Sample[]>();
      const add = (key: string, sample: Sample) => samples.set(key, [...(samples.get(key) ?? []), sample]);
      const events = new Map<string, number>();

      const libraryUpload = async (service: 'biggo' | 'mixcloud', source: SourceFile) => {
        const url = service === 'biggo' ? biggo.url : mixcloud.url;
        const credential = service === 'biggo' ? `${clientId}:${secret}` : mcToken;
        const result = await measureProcess(process.execPath, [
          script,
          '--child',
          service,
          url,
          source.path,
          credential,
        ]);
        const reported = lastJsonLine<{ ms: number; events: number; id?: string }>(result.stdout);
        events.set(service, reported.events);
        if (service === 'biggo') await checkBigGoVideo(url, token, reported.id!, source, 'library');
        else await checkMixcloudUpload(url, source.size, 'library');
        return { ms: reported.ms, peakRss: result.peakRss };
      };
      /** One `curl -F` of a BigGo video (the token current at the call); its timing and the new video's id. */
      const curlBigGoPost = async (source: SourceFile, filename: string) => {
        const result = await measureProcess('curl', [
          '--silent',
          '--show-error',
          '--fail',
          '-H',
          `Authorization: Bearer ${token}`,
          '-H',
          `File-Size: ${source.size}`,
          '-F',
          `video=@${source.path};filename=${filename};type=video/mp4`,
          `${biggo.url}/api/v1/video/`,
        ]);
        return { ...result, videoId: lastJsonLine<{ video_id: string }>(result.stdout).video_id };
      };
      const curlBigGoUpload = async () => {
        const result = await curlBigGoPost(sources.biggo, 'bench.mp4');
        await checkBigGoVideo(biggo.url, token, result.videoId, sources.biggo, 'curl');
        return result;
      };
      const curlMixcloudUpload = async (rep: number) => {
        const result = await measureProcess('curl', [
          ...CURL,
          '-F',
          `name=curl bench ${rep}`,
          '-F',
          `mp3=@${sources.mixcloud.path};filename=bench.mp3;type=audio/mpeg`,
          `${mixcloud.url}/upload/?access_token=${mcToken}`,
        ]);
        await checkMixcloudUpload(mixcloud.url, sources.mixcloud.size, 'curl');
        return result;
      };

      // One processed BigGo video to download: uploaded by curl, then processed (its clock moved 10 s on).
      const downloadId = (await curlBigGoPost(sources.biggoDownload, 'download.mp4')).videoId;
      await fetch(`${biggo.url}/__emulator/clock`, {
        method: 'POST',
        body: JSON.stringify({ advanceMs: 10_000 }),
      });
      const mediaUrl = `${biggo.url}/media/${downloadId}.mp4`;
      const cliEnv = cliEnvFor({
        MEDIAFERRY_BIGGO_URL: biggo.url,
        BIGGO_CLIENT_ID: clientId,
        BIGGO_CLIENT_SECRET: secret,
      });

      for (let rep = 0; rep <= args.reps; rep += 1) {
        note(
          rep === 0
            ? 'service-transfers: warm-up round (not counted)'
            : `service-transfers: round ${rep} of ${args.reps}`,
        );
        token = await bigGoToken(biggo.url, clientId, secret);
        // BigGo upload: the library, then curl (each deletes its video afterwards: the emulator refuses duplicates).
        const bgLib = await libraryUpload('biggo', sources.biggo);
        const bgCurl = await curlBigGoUpload();
        // BigGo download: the library's downloadToFile, `mediaferry copy biggo:// DIR`, then curl.
        const libDest = join(dir, 'library-down.mp4');
        const bgLibDown = await runDriver(process.execPath, [
          script,
          '--child',
          'biggo-download',
          biggo.url,
          `${downloadId}:${libDest}`,
          `${clientId}:${secret}`,
        ]);
        await assertSameBytes(libDest, sources.biggoDownload, 'BigGoClient.videos.downloadToFile');
        await rm(libDest);
        const into = join(dir, `biggo-down-${rep}`);
        const bgCli = await runCliWith(['copy', 'biggo://', into], cliEnv);
        await assertSameBytes(
          join(into, `${downloadId}.mp4`),
          sources.biggoDownload,
          'mediaferry copy biggo://',
        );
        await rm(into, { recursive: true });
        const curlDest = join(dir, 'curl-down.mp4');
        const bgCurlDown = await measureProcess('curl', [
          '--silent',
          '--show-error',
          '--fail',
          '-o',
          curlDest,
          mediaUrl,
        ]);
        await assertSameBytes(curlDest, sources.biggoDownload, 'curl biggo download');
        await rm(curlDest);
        // Mixcloud upload.
        const mcLib = await libraryUpload('mixcloud', sources.mixcloud);
        const mcCurl = await curlMixcloudUpload(rep);
        if (rep === 0) continue;
        add('biggo.upload.library', bgLib);
        add('biggo.upload.curl', bgCurl);
        add('biggo.download.library', bgLibDown);
        add('biggo.download.cli', bgCli);
        add('biggo.download.curl', bgCurlDown);
        add('mixcloud.upload.library', mcLib);
        add('mixcloud.upload.curl', mcCurl);
      }
      const smallRss = {
        biggo: (await libraryUpload('biggo', sources.small)).peakRss,
        mixcloud: (await libraryUpload('mixcloud', sources.small)).peakRss,
      };
      const med = (key: string) => median(samples.get(key)!.map((s) => s.ms));
      const peak = (key: string) => Math.max(...samples.get(key)!.map((s) => s.peakRss));
      const row = (key: string, tool: string, size: number, reference?: string): FigureRow => ({
        tool,
        size,
        ms: med(key),
        ratio: reference ? med(key) / med(reference) : undefined,
        peakRss: peak(key),
      });
      process.stdout.write(
        `service-transfers: median of ${args.reps} rounds after a warm-up; ratio = time ÷ curl's; ${loadBefore} before, ${loadLine()} after\n\n${formatTable(
          [
            row('biggo.upload.curl', 'BigGo upload: curl -F', sources.biggo.size),
            row(
              'biggo.upload.library',
              'BigGo upload: BigGoClient.videos.upload',
              sources.biggo.size,
              'biggo.upload.curl',
            ),
            row('biggo.download.curl', 'BigGo download: curl → file', sources.biggo.size),
            row(
              'biggo.download.library',
              'BigGo download: BigGoClient.videos.downloadToFile',
              sources.biggo.size,
              'biggo.download.curl',
            ),
            row(
              'biggo.download.cli',
              'BigGo download: mediaferry copy biggo://',
              sources.biggo.size,
              'biggo.download.curl',
            ),
            row('mixcloud.upload.curl', 'Mixcloud upload: curl -F', sources.mixcloud.size),
            row(
              'mixcloud.upload.library',
              'Mixcloud upload: Mixcloud.upload',
              sources.mixcloud.size,
              'mixcloud.upload.curl',
            ),
          ],
        )}\n\n`,
      );
      for (const [key, reference, label] of [
        ['biggo.upload.library', 'biggo.upload.curl', 'BigGo upload (library)'],
        ['biggo.download.library', 'biggo.download.curl', 'BigGo download (library)'],
        [
          'biggo.download.cli',
          'biggo.download.curl',
          'BigGo download (mediaferry copy biggo://, whole process)',
        ],
        ['mixcloud.upload.library', 'mixcloud.upload.curl', 'Mixcloud upload (library)'],
      ] as const) {
        const ratio = med(reference) / med(key);
        verdicts.check(`${label} throughput vs curl`, `${ratio.toFixed(2)}×`, ratio >= 0.8, '≥ 0.8×');
      }
      for (const service of ['biggo', 'mixcloud'] as const) {
        const full = peak(`${service}.upload.library`);
        verdicts.check(
          `${service} progress events`,
          String(events.get(service)),
          (events.get(service) ?? 0) > 10,
          '> 10',
        );
        verdicts.check(
          `${service} upload RSS growth 20 MiB → ${mib(sources[service].size)}`,
          `${mib(full - smallRss[service])} (${mib(smallRss[service])} → ${mib(full)})`,
          full - smallRss[service] <= 32 * MiB,
          '≤ 32 MiB (flat)',
        );
      }
      return verdicts.failed;
    } finally {
      await biggoEmu.close();
      await mixcloudEmu.close();
    }
  });
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5]!, process.argv[6]!);
} else {
  const argv = process.argv.slice(2);
  const repsAt = argv.indexOf('--reps');
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--reps');
  const failed = await parent({
    bigGoMiB: Number(positional[0] ?? 200),
    mixcloudMiB: Number(positional[1] ?? 500),
    reps: repsAt >= 0 ? Number(argv[repsAt + 1]) : 3,
  });
  process.exitCode = failed === 0 ? 0 : 1;
}
