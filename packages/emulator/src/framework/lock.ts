import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';

/** Who holds a data directory, as written in its lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** When the holder took the lock (ISO 8601, wall clock). */
  readonly since: string;
  /** What the holder is, for the message a second process prints (`mediaferry copy …`). */
  readonly command: string;
  /** Set by a serving emulator: where a second process can reach it instead of waiting. */
  readonly url?: string;
}

/** The data directory is held by another live process (or another emulator of this one). */
export class DataDirBusyError extends Error {
  override readonly name = 'DataDirBusyError';
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${dir} is in use by ${holder.command} (pid ${holder.pid} since ${holder.since}${holder.url ? `, serving ${holder.url}` : ''}); stop it or use another data directory`,
    );
  }
}

export interface AcquireOptions {
  /** What this process is, recorded for whoever finds the lock taken. */
  readonly command?: string;
  /** Wait for the holder to finish instead of failing with {@link DataDirBusyError}. */
  readonly wait?: boolean;
  /** Called once, when waiting starts. */
  readonly onWait?: (holder: LockHolder) => void;
  /** Stops waiting: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** How often a waiting process looks again (real time: it waits for another process). Default 200 ms. */
  readonly pollMs?: number;
}

export const LOCK_FILE = 'emulator.lock';
/** A lock file still empty after this long was left by a process that died while creating it. */
const HALF_WRITTEN_MS = 5_000;
/** Paths this process holds, so a second emulator in the same process is refused as well. */
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as LockHolder;
    return typeof parsed.pid === 'number' ? parsed : 'unreadable';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
}

/**
 * An exclusive hold on a data directory: one process (and one emulator in it) at a time reads and writes
 * the state there, so two writers never lose each other's writes. The lock is a file created with O_EXCL;
 * one left by a process that died (SIGKILL, power loss) is taken over, since its pid is gone.
 */
export class DirLock {
  readonly path: string;
  #holder: LockHolder;
  readonly #nonce: string;
  #released = false;

  private constructor(path: string, holder: LockHolder, nonce: string) {
    this.path = path;
    this.#holder = holder;
    this.#nonce = nonce;
  }

  static async acquire(dir: string, options: AcquireOptions = {}): Promise<DirLock> {
    const path = join(dir, LOCK_FILE);
    let waiting = false;
    for (;;) {
      options.signal?.throwIfAborted();
      const taken = await DirLock.#tryCreate(
        path,
        // Never the whole command line: its arguments may hold secrets.
        options.command ?? basename(process.argv[1] ?? 'node'),
      );
      if (taken) return taken;
      const holder = await readHolder(path);
      if (holder === 'gone') continue;
      if (holder === 'unreadable') {
        const age = await stat(path).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > HALF_WRITTEN_MS) await unlink(path).catch(() => {});
        else await pause(options.pollMs ?? 200, options.signal);
        continue;
      }
      const stale =
        holder.hostname === hostname() &&
        (holder.pid === process.pid ? !heldHere.has(path) : !alive(holder.pid));
      if (stale) {
        await unlink(path).catch(() => {});
        continue;
      }
      if (!options.wait) throw new DataDirBusyError(dir, holder);
      if (!waiting) {
        waiting = true;
        options.onWait?.(holder);
      }
      await pause(options.pollMs ?? 200, options.signal);
    }
  }

  static async #tryCreate(path: string, command: string): Promise<DirLock | undefined> {
    const nonce = randomBytes(8).toString('hex');
    const holder: LockHolder = {
      pid: process.pid,
      hostname: hostname(),
      since: new Date().toISOString(),
      command,
    };
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw error;
    }
    try {
      await handle.writeFile(JSON.stringify({ ...holder, nonce }));
    } finally {
      await handle.close();
    }
    heldHere.add(path);
    return new DirLock(path, holder, nonce);
  }

  get holder(): LockHolder {
    return this.#holder;
  }

  /** Adds what others should know (a serving emulator's URL) to the lock file. */
  async update(fields: Partial<Pick<LockHolder, 'url' | 'command'>>): Promise<void> {
    if (this.#released) return;
    this.#holder = { ...this.#holder, ...fields };
    const temp = `${this.path}.${this.#nonce}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ ...this.#holder, nonce: this.#nonce }));
    } finally {
      await handle.close();
    }
    await rename(temp, this.path);
  }

  /** Gives the directory up (only if the lock file is still this one's). */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    heldHere.delete(this.path);
    const current = await readFile(this.path, 'utf8').catch(() => '');
    if (current.includes(`"nonce":"${this.#nonce}"`)) await unlink(this.path).catch(() => {});
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      if (signal?.aborted) reject(signal.reason);
      else resolve();
    }
  });
}
