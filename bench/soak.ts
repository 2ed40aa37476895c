/**
 * Soak of `mediaferry copy` (issue 12): random copies in every direction (disk ↔ B2, B2 → B2, BigGo → disk,
 * disk → BigGo, GoPro → disk and B2, disk → Mixcloud) through the built CLI against `mediaferry emulator`,
 * with about 10 % of requests faulted (HTTP errors and wire faults mixed), random SIGINT/SIGKILL of the CLI,
 * and edits of the source files between and during copies. After every operation no local destination may
 * hold a file under its final name that its source never had; at the end, one clean pass of every direction
 * and a byte-for-byte comparison of every destination with its source: 0 lost, 0 torn, 0 stale.
 *
 *   npm run soak -- [--ops 2000] [--seed 1] [--fault-rate 0.1]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { withTempDir } from './support/measure.js';
import {
  b2Contents,
  checkNoTornFiles,
  cliEnv,
  clients,
  compare,
  type Endpoints,
  goproContents,
  History,
  LocalSources,
  pick,
  seeded,
  snapshot,
  startEmulators,
  type Tally,
} from './support/soak-world.js';

const bin = fileURLToPath(new URL('../../packages/cli/bin/mediaferry.js', import.meta.url));
const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '200' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    'fault-rate': { type: 'string', default: '0.1' },
  },
});
const OPS = Number(values.ops);
const SEED = Number(values.seed);
const FAULT_RATE = Number(values['fault-rate']);
const random = seeded(SEED);
const B2 = 'b2://mediaferry-demo/soak';
const GOPRO = 'gopro://2026-10-01..2026-10-10';

/** Sources for the media services: an ISO-BMFF `ftyp` box (video) and an ID3 tag (audio) are what copy sniffs. */
const MEDIA_SOURCES: ReadonlyArray<readonly [string, string, Buffer]> = [
  ['to-biggo', 'mp4', Buffer.from('00000018667479706973366f0000020069736f6d6d703431', 'hex')],
  ['to-mixcloud', 'mp3', Buffer.from('49443304000000000000', 'hex')],
];

interface Direction {
  readonly name: string;
  readonly args: (dir: string) => string[];
  readonly services: readonly string[];
}

const directions: Direction[] = [
  {
    name: 'disk → B2',
    args: (d) => ['copy', join(d, 'local'), `${B2}/local/`, '--part-size', '5M'],
    services: ['b2'],
  },
  { name: 'B2 → disk', args: (d) => ['copy', `${B2}/local/`, join(d, 'restore')], services: ['b2'] },
  { name: 'B2 → B2', args: () => ['copy', `${B2}/local/`, `${B2}/mirror/`], services: ['b2'] },
  { name: 'GoPro → disk', args: (d) => ['copy', GOPRO, join(d, 'gopro')], services: ['gopro'] },
  { name: 'GoPro → B2', args: () => ['copy', GOPRO, `${B2}/gopro/`], services: ['gopro', 'b2'] },
  { name: 'BigGo → disk', args: (d) => ['copy', 'biggo://', join(d, 'biggo')], services: ['biggo'] },
  { name: 'disk → BigGo', args: (d) => ['copy', join(d, 'to-biggo'), 'biggo://'], services: ['biggo'] },
  {
    name: 'disk → Mixcloud',
    args: (d) => ['copy', join(d, 'to-mixcloud'), 'mixcloud://me'],
    services: ['mixcloud'],
  },
];

const HTTP_FAULTS = [500, 503, 429, 408];
const WIRE_FAULTS = [
  'reset_before_response',
  'reset_mid_request',
  'reset_mid_body',
  'truncate_body',
  'stall',
];

async function plane(endpoints: Endpoints, service: string, path: string, method = 'GET', body?: unknown) {
  const response = await fetch(`${endpoints[service]!.url}/__emulator/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.status === 204 ? undefined : response.json();
}

/** Scales how many faults are armed so that the share of faulted requests settles at the target rate. */
const pace = { factor: 1.5 };

/** Arms about `rate` × the expected requests of the op as faults spread over them. */
async function armFaults(endpoints: Endpoints, services: readonly string[], expected: number) {
  let armed = 0;
  for (const service of services) {
    const count = Math.round((expected * FAULT_RATE * pace.factor * (0.5 + random())) / services.length);
    for (let i = 0; i < count; i += 1) {
      const skip = Math.floor(random() * expected);
      const fault =
        random() < 0.5
          ? { on: '*', status: pick(random, HTTP_FAULTS), skip, retryAfter: 0 }
          : { on: '*', kind: pick(random, WIRE_FAULTS), skip, ms: 300 };
      await plane(endpoints, service, 'status' in fault ? 'faults' : 'wire-faults', 'POST', fault);
      armed += 1;
    }
  }
  return armed;
}

async function clearAll(endpoints: Endpoints) {
  for (const service of Object.keys(endpoints)) {
    if (service === 'probe') continue;
    await plane(endpoints, service, 'faults', 'DELETE');
    await plane(endpoints, service, 'wire-faults', 'DELETE');
  }
}

/** Requests since the last call, and how many of them were faulted. */
async function drainJournals(endpoints: Endpoints, services: readonly string[]) {
  let total = 0;
  let faulted = 0;
  for (const service of services) {
    const { entries } = (await plane(endpoints, service, 'journal')) as {
      entries: Array<{ fault: string | null }>;
    };
    total += entries.length;
    faulted += entries.filter((e) => e.fault).length;
    await plane(endpoints, service, 'journal', 'DELETE');
  }
  return { total, faulted };
}

function runCli(args: string[], env: NodeJS.ProcessEnv, kill?: { signal: NodeJS.Signals; afterMs: number }) {
  const child = spawn(process.execPath, [bin, ...args, '-j', String(1 + Math.floor(random() * 4)), '-q'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = kill ? setTimeout(() => child.kill(kill.signal), kill.afterMs) : undefined;
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

await withTempDir(async (dir) => {
  const { endpoints, child: emulator } = await startEmulators(bin, join(dir, 'emulator'));
  const env = cliEnv(endpoints, dir);
  const local = new LocalSources(join(dir, 'local'), random);
  await mkdir(local.dir, { recursive: true });
  for (let i = 0; i < 24; i += 1) await local.create();
  // BigGo and Mixcloud keep titles, not bytes: their sources are written once and never edited. Each is
  // media of the kind its service takes (copy refuses anything else): a video for BigGo, a mix for Mixcloud.
  for (const [target, extension, header] of MEDIA_SOURCES) {
    await mkdir(join(dir, target), { recursive: true });
    for (let i = 0; i < 4; i += 1)
      await writeFile(
        join(dir, target, `${target}-${i}.${extension}`),
        Buffer.concat([header, randomBytes(50_000 + i)]),
      );
  }
  const stats = {
    ops: 0,
    sigint: 0,
    sigkill: 0,
    edits: 0,
    midEdits: 0,
    faultsArmed: 0,
    requests: 0,
    faulted: 0,
  };
  const exits = new Map<string, number>();
  const failures = new Map<string, number>();
  const timing = new Map<string, number>();
  const expected = new Map<string, number>();
  const tally: Tally = { verified: 0, lost: [], torn: [], stale: [] };
  const from = new Date('2026-10-01T00:00:00Z');
  const to = new Date('2026-10-10T23:59:59.999Z');
  // GoPro media never change: what the CDN serves now is the only content a GoPro copy may ever hold.
  const goproAssets = await goproContents(clients(endpoints).gopro, from, to);
  const goproHistory = new History();
  for (const [name, bytes] of goproAssets) goproHistory.record(name, bytes);
  const started = Date.now();
  try {
    for (let op = 0; op < OPS; op += 1) {
      if (random() < 0.3) {
        await local.edit();
        stats.edits += 1;
      }
      const direction = pick(random, directions);
      const guess = expected.get(direction.name) ?? 30;
      stats.faultsArmed += await armFaults(endpoints, direction.services, guess);
      const roll = random();
      const kill =
        roll < 0.08
          ? { signal: 'SIGKILL' as const, afterMs: 200 + Math.floor(random() * 2500) }
          : roll < 0.16
            ? { signal: 'SIGINT' as const, afterMs: 200 + Math.floor(random() * 2500) }
            : undefined;
      if (kill?.signal === 'SIGKILL') stats.sigkill += 1;
      if (kill?.signal === 'SIGINT') stats.sigint += 1;
      const opStarted = Date.now();
      const running = runCli(direction.args(dir), env, kill);
      if (direction.name === 'disk → B2' && random() < 0.25) {
        // An edit while the copy may be reading the file.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 1500)));
        await local.edit();
        stats.midEdits += 1;
      }
      const result = await running;
      await clearAll(endpoints);
      const { total, faulted } = await drainJournals(endpoints, direction.services);
      expected.set(
        direction.name,
        Math.max(5, Math.round(((expected.get(direction.name) ?? total) + total) / 2)),
      );
      stats.requests += total;
      stats.faulted += faulted;
      const observed = stats.faulted / Math.max(1, stats.requests);
      pace.factor = Math.min(
        6,
        Math.max(
          0.5,
          pace.factor * (observed > 0 ? Math.min(1.2, Math.max(0.8, FAULT_RATE / observed)) : 1.2),
        ),
      );
      timing.set(direction.name, (timing.get(direction.name) ?? 0) + (Date.now() - opStarted));
      if (result.code === 1) {
        const reason = (
          result.stderr.split('\n').find((line) => /^(failed|error) /.test(line)) ??
          result.stderr.slice(0, 120)
        )
          .replace(/\b[0-9a-f]{8,}\b/g, '…')
          .replace(/\d+/g, 'N')
          .slice(0, 160);
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
      }
      stats.ops += 1;
      const key = `${direction.name} exit ${result.code ?? 'killed'}`;
      exits.set(key, (exits.get(key) ?? 0) + 1);
      if (result.stderr.includes('Warning')) tally.torn.push(`node warning: ${result.stderr.slice(0, 300)}`);
      await checkNoTornFiles(join(dir, 'restore'), local.history, tally, 'B2 → disk');
      await checkNoTornFiles(join(dir, 'gopro'), goproHistory, tally, 'GoPro → disk');
      if ((op + 1) % 50 === 0)
        process.stdout.write(
          `${op + 1}/${OPS} ops, ${stats.faulted}/${stats.requests} requests faulted, ${Math.round((Date.now() - started) / 1000)} s\n`,
        );
    }

    // One clean pass of every direction, then every destination byte for byte.
    await plane(endpoints, 'biggo', 'clock', 'POST', { advanceMs: 600_000 });
    const final = new Map<string, number | null>();
    for (const direction of directions) {
      const result = await runCli(direction.args(dir), env);
      final.set(direction.name, result.code);
      if (result.code !== 0)
        tally.lost.push(`final ${direction.name} exited ${result.code}: ${result.stderr.slice(0, 500)}`);
    }
    const { b2, biggo, mixcloud } = clients(endpoints);
    const source = await snapshot(local.dir);
    const onB2 = await b2Contents(b2, 'soak/local/');
    compare('disk → B2', source, onB2, local.history, tally);
    compare('B2 → disk', onB2, await snapshot(join(dir, 'restore')), local.history, tally);
    compare('B2 → B2', onB2, await b2Contents(b2, 'soak/mirror/'), local.history, tally);
    compare('GoPro → disk', goproAssets, await snapshot(join(dir, 'gopro')), undefined, tally);
    compare('GoPro → B2', goproAssets, await b2Contents(b2, 'soak/gopro/'), undefined, tally);
    const videos = await biggo.videos.list().toArray({ limit: 100_000 });
    const biggoDisk = await snapshot(join(dir, 'biggo'));
    const sentToBigGo = await snapshot(join(dir, 'to-biggo'));
    for (const name of sentToBigGo.keys())
      if (!videos.some((video) => `${video.title}.mp4` === name)) tally.lost.push(`disk → BigGo: ${name}`);
    for (const video of videos) {
      const mp4 = video.meta?.download?.mp4;
      if (mp4 === undefined) continue;
      const bytes = new Uint8Array(await (await fetch(mp4)).arrayBuffer());
      const name = `${video.title || video.video_id}.mp4`;
      const there = biggoDisk.get(name) ?? biggoDisk.get(`${video.title}-${video.video_id}.mp4`);
      const mine = (await snapshot(join(dir, 'to-biggo'))).get(name);
      if (mine && Buffer.compare(Buffer.from(mine), Buffer.from(bytes)) !== 0)
        tally.torn.push(`disk → BigGo: ${name}`);
      else if (mine) tally.verified += 1;
      if (!there) tally.lost.push(`BigGo → disk: ${name}`);
      else if (Buffer.compare(Buffer.from(there), Buffer.from(bytes)) !== 0)
        tally.torn.push(`BigGo → disk: ${name}`);
      else tally.verified += 1;
    }
    const { username: owner } = await mixcloud.users.me();
    for (const name of await readdir(join(dir, 'to-mixcloud'))) {
      const slug = name
        .replace(/\.[^.]+$/, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-');
      const found = await mixcloud.cloudcasts.get({ username: owner, slug }).catch(() => undefined);
      if (found) tally.verified += 1;
      else tally.lost.push(`disk → Mixcloud: ${name}`);
    }

    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    process.stdout.write(
      `${[
        `soak: seed ${SEED}, ${stats.ops} ops in ${minutes} min`,
        `  requests ${stats.requests}, faulted ${stats.faulted} (${((100 * stats.faulted) / Math.max(1, stats.requests)).toFixed(1)} %), faults armed ${stats.faultsArmed}`,
        `  CLI killed: ${stats.sigint} SIGINT, ${stats.sigkill} SIGKILL; source edits ${stats.edits} between ops, ${stats.midEdits} during a copy`,
        ...[...exits.entries()].sort().map(([key, count]) => `  ${key}: ${count}`),
        '  why ops failed (exit 1), by first error line:',
        ...[...failures.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 15)
          .map(([line, count]) => `    ${count}× ${line}`),
        `  time per direction: ${[...timing.entries()].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(0)} s`).join(', ')}`,
        `  final clean pass: ${[...final.entries()].map(([name, code]) => `${name} ${code}`).join(', ')}`,
        `  verified ${tally.verified} files byte for byte: ${tally.lost.length} lost, ${tally.torn.length} torn, ${tally.stale.length} stale`,
        ...[...tally.lost, ...tally.torn, ...tally.stale].slice(0, 40).map((line) => `    ${line}`),
      ].join('\n')}\n`,
    );
    process.exitCode = tally.lost.length + tally.torn.length + tally.stale.length === 0 ? 0 : 1;
  } finally {
    emulator.kill('SIGTERM');
    await new Promise((resolve) => emulator.on('close', resolve));
  }
});
