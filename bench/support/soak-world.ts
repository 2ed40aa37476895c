/**
 * The soak's world: the emulators it runs against, the local sources it edits (remembering every content each
 * file ever had), and the byte-for-byte verification of every destination against its source.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { B2Client } from '@mediaferry/b2';
import { BigGoClient } from '@mediaferry/biggo';
import { readAll } from '@mediaferry/core';
import { chooseAssets, GoProClient } from '@mediaferry/gopro';
import { Mixcloud } from '@mediaferry/mixcloud';

export const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

export type Endpoints = Record<string, { url: string } & Record<string, string>>;

/** Starts `mediaferry emulator` (state on disk) and returns its endpoints. */
export async function startEmulators(
  bin: string,
  data: string,
): Promise<{ endpoints: Endpoints; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, 'emulator', '--json', '--port', '0', '--data', data], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.includes('\n')) resolve(buffer.slice(0, buffer.indexOf('\n')));
    });
    child.once('close', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { endpoints: JSON.parse(line) as Endpoints, child };
}

export function cliEnv(endpoints: Endpoints, home: string): NodeJS.ProcessEnv {
  const { b2, gopro, biggo, mixcloud } = endpoints;
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_STATE_HOME: join(home, 'state'),
    NO_COLOR: '1',
    MEDIAFERRY_B2_URL: b2!.url,
    B2_APPLICATION_KEY_ID: b2!.keyId!,
    B2_APPLICATION_KEY: b2!.key!,
    MEDIAFERRY_GOPRO_URL: gopro!.url,
    GP_ACCESS_TOKEN: gopro!.accessToken!,
    MEDIAFERRY_BIGGO_URL: biggo!.url,
    BIGGO_CLIENT_ID: biggo!.clientId!,
    BIGGO_CLIENT_SECRET: biggo!.clientSecret!,
    MEDIAFERRY_MIXCLOUD_URL: mixcloud!.url,
    MIXCLOUD_ACCESS_TOKEN: mixcloud!.accessToken!,
  };
}

/** Every content (SHA-1) each source file has had, so a destination can be told current, stale or torn. */
export class History {
  readonly #versions = new Map<string, Set<string>>();

  record(path: string, bytes: Uint8Array): void {
    const set = this.#versions.get(path) ?? new Set<string>();
    set.add(sha1(bytes));
    this.#versions.set(path, set);
  }

  knows(path: string, digest: string): boolean {
    return this.#versions.get(path)?.has(digest) ?? false;
  }
}

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

/** Relative path → bytes of every regular file under `dir` (partial files included: they are checked apart). */
export async function snapshot(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const file of files(dir))
    out.set(relative(dir, file).split(sep).join('/'), await readFile(file));
  return out;
}

/** The local sources and the edits the soak makes to them. */
export class LocalSources {
  readonly history = new History();
  #next = 0;

  constructor(
    readonly dir: string,
    readonly random: () => number,
  ) {}

  #size(): number {
    const r = this.random();
    // Mostly small files, some empty, a few large enough for multi-part uploads at --part-size 5M.
    if (r < 0.05) return 0;
    if (r < 0.85) return Math.floor(this.random() * 400_000);
    return 5_500_000 + Math.floor(this.random() * 6_000_000);
  }

  async create(): Promise<string> {
    const name = `${this.random() < 0.3 ? `day${Math.floor(this.random() * 3)}/` : ''}f${this.#next++}.bin`;
    const bytes = randomBytes(this.#size());
    await mkdir(join(this.dir, name, '..'), { recursive: true });
    await writeFile(join(this.dir, name), bytes);
    this.history.record(name, bytes);
    return name;
  }

  async names(): Promise<string[]> {
    return [...(await snapshot(this.dir)).keys()].sort();
  }

  /** One random edit: in place (same size), grow, shrink, replace, create or delete. */
  async edit(): Promise<string> {
    const names = await this.names();
    const kind =
      names.length === 0
        ? 'create'
        : pick(this.random, ['inplace', 'inplace', 'grow', 'shrink', 'replace', 'create', 'delete']);
    if (kind === 'create') return `create ${await this.create()}`;
    const name = pick(this.random, names);
    const path = join(this.dir, name);
    const size = (await stat(path)).size;
    if (kind === 'delete') {
      await unlink(path);
      return `delete ${name}`;
    }
    if (kind === 'inplace' && size > 0) {
      const handle = await open(path, 'r+');
      await handle.write(
        randomBytes(Math.min(64, size)),
        0,
        Math.min(64, size),
        Math.floor(this.random() * size),
      );
      await handle.close();
    } else if (kind === 'grow' || (kind === 'inplace' && size === 0)) {
      await writeFile(path, randomBytes(1 + Math.floor(this.random() * 100_000)), { flag: 'a' });
    } else if (kind === 'shrink') {
      await truncate(path, Math.floor(size / 2));
    } else {
      await writeFile(path, randomBytes(this.#size()));
    }
    this.history.record(name, await readFile(path));
    return `${kind} ${name}`;
  }
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A seeded PRNG (mulberry32), so a failing soak can be replayed with `--seed`. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Tally {
  verified: number;
  lost: string[];
  torn: string[];
  stale: string[];
}

/** Library clients on the emulators (never faulted at verification time) to read what each service holds. */
export function clients(endpoints: Endpoints) {
  const { b2, gopro, biggo, mixcloud } = endpoints;
  return {
    b2: new B2Client({ keyId: b2!.keyId!, applicationKey: b2!.key!, baseUrl: b2!.url }),
    gopro: new GoProClient({ accessToken: gopro!.accessToken!, baseUrl: gopro!.url, pageSize: 100 }),
    biggo: new BigGoClient({
      clientId: biggo!.clientId!,
      clientSecret: biggo!.clientSecret!,
      baseUrl: biggo!.url,
    }),
    mixcloud: new Mixcloud({
      accessToken: mixcloud!.accessToken!,
      apiRoot: mixcloud!.url,
      mixcloudRoot: mixcloud!.url,
      oembedRoot: `${mixcloud!.url}/oembed`,
    }),
  };
}

/** Current bytes of every file under a B2 prefix, relative to it. */
export async function b2Contents(b2: B2Client, prefix: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const file of b2.files.list({ bucketName: 'mediaferry-demo', prefix })) {
    // The stream checks the bytes against B2's SHA-1 at its end.
    const { body } = await b2.files.download({ fileId: file.fileId! });
    out.set(file.fileName.slice(prefix.length), new Uint8Array(await new Response(body).arrayBuffer()));
  }
  return out;
}

/** GoPro assets of the range as `copy` names them, with their bytes from the CDN. */
export async function goproContents(
  gopro: GoProClient,
  from: Date,
  to: Date,
): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const taken = new Set<string>();
  for (const item of await gopro.media.list({ from, to }).toArray({ limit: 100_000 })) {
    for (const { name, asset } of chooseAssets(await gopro.media.get(item.id))) {
      const unique = taken.has(name) ? name.replace(/(\.[^.]*)?$/, (ext) => `-${item.id}${ext}`) : name;
      taken.add(unique);
      out.set(unique, await readAll((await gopro.media.download(asset)).body));
    }
  }
  return out;
}

/**
 * Compares a destination with its source: every source file must be there with the same bytes. A
 * destination file with bytes the source never had is torn; one with an older content is stale; a missing
 * one is lost. Files the source no longer has must still hold one of its past contents.
 */
export function compare(
  label: string,
  source: Map<string, Uint8Array>,
  destination: Map<string, Uint8Array>,
  history: History | undefined,
  tally: Tally,
): void {
  for (const [name, bytes] of source) {
    const there = destination.get(name);
    if (!there) tally.lost.push(`${label}: ${name}`);
    else if (sha1(there) === sha1(bytes)) tally.verified += 1;
    else if (history?.knows(name, sha1(there))) tally.stale.push(`${label}: ${name}`);
    else tally.torn.push(`${label}: ${name}`);
  }
  for (const [name, bytes] of destination) {
    if (source.has(name)) continue;
    if (name.startsWith('.mediaferry-partial/') || name.endsWith('.mfpart'))
      tally.torn.push(`${label}: leftover ${name}`);
    else if (history && !history.knows(name, sha1(bytes)))
      tally.torn.push(`${label}: ${name} (source deleted)`);
  }
}

/** Checks, at any moment, that every file under its final name in a local destination is a real version. */
export async function checkNoTornFiles(
  dir: string,
  history: History,
  tally: Tally,
  label: string,
): Promise<void> {
  for (const [name, bytes] of await snapshot(dir)) {
    if (name.startsWith('.mediaferry-partial/')) continue;
    if (!history.knows(name, sha1(bytes))) tally.torn.push(`${label} (mid-soak): ${name}`);
  }
}
