/**
 * Two processes on one emulator data directory never lose each other's writes: a second CLI run waits for
 * the first, a CLI run finds a serving `mediaferry emulator` and uses it, a second server is refused.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finish, firstLine, isolatedEnv, run, start } from './support/cli.js';

async function folder(env: NodeJS.ProcessEnv, name: string, files: number): Promise<string> {
  const dir = join(env.HOME!, name);
  await mkdir(dir, { recursive: true });
  for (let i = 1; i <= files; i += 1) await writeFile(join(dir, `${name}-${i}.txt`), `${name} ${i}\n`);
  return dir;
}

/** Real-time polling is right here: the condition is another process's doing. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function collect(child: ChildProcess): { stderr: () => string } {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return { stderr: () => stderr };
}

const names = (stdout: string) => (JSON.parse(stdout) as Array<{ name: string }>).map((f) => f.name).sort();

describe('two processes on the embedded emulators', () => {
  it('the second waits for the first, says so, and nothing either uploaded is lost', async () => {
    const env = await isolatedEnv({ MEDIAFERRY_EMULATOR: '1' });
    const lock = join(env.XDG_STATE_HOME!, 'mediaferry', 'emulators', 'emulator.lock');
    const a = await folder(env, 'a', 3);
    const b = await folder(env, 'b', 3);
    const first = start(['copy', a, 'b2://mediaferry-demo/a/', '--json'], env);
    const firstDone = finish(first);
    await until(
      async () => (await readFile(lock, 'utf8').catch(() => '')).includes(`"pid":${first.pid}`),
      'the first run to hold the emulators',
    );
    // Freeze the first run while it holds the data: the second must not go ahead and overwrite it.
    first.kill('SIGSTOP');
    const second = start(['copy', b, 'b2://mediaferry-demo/b/', '--json'], env);
    const seen = collect(second);
    const secondDone = finish(second);
    await until(
      async () => /waiting for mediaferry copy \(pid \d+\)/.test(seen.stderr()),
      'the waiting notice',
    );
    expect(seen.stderr()).toContain(`(pid ${first.pid})`);
    first.kill('SIGCONT');
    const [one, two] = await Promise.all([firstDone, secondDone]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const listed = await run(['b2', 'ls', 'b2://mediaferry-demo', '-r', '--json'], env);
    expect(names(listed.stdout)).toEqual([
      'README.txt',
      'a/a-1.txt',
      'a/a-2.txt',
      'a/a-3.txt',
      'b/b-1.txt',
      'b/b-2.txt',
      'b/b-3.txt',
    ]);
  });

  it('a CLI run uses a `mediaferry emulator` that serves the same data; a second server is refused', async () => {
    const env = await isolatedEnv();
    const data = await mkdtemp(join(env.HOME!, 'served-'));
    const server = start(['emulator', '--json', '--port', '0', '--services', 'b2', '--data', data], env);
    const exited = new Promise((resolve) => server.once('exit', resolve));
    try {
      const { b2 } = JSON.parse(await firstLine(server)) as { b2: { url: string; console: string } };
      expect(b2.console).toBe(`${b2.url}/__emulator/ui/`);
      const cliEnv = { ...env, MEDIAFERRY_EMULATOR: '1', MEDIAFERRY_EMULATOR_DATA: data };
      const dir = await folder(env, 'c', 2);
      const copied = await run(['copy', dir, 'b2://mediaferry-demo/c/', '--json'], cliEnv);
      expect(copied.code).toBe(0);
      expect(copied.stderr).toContain(`b2: using the running emulator at ${b2.url}`);
      const journal = (await (
        await fetch(`${b2.url}/__emulator/journal?endpoint=b2_upload_file`)
      ).json()) as {
        entries: unknown[];
      };
      expect(journal.entries).toHaveLength(2);

      const rival = await run(['emulator', '--services', 'b2', '--data', data], env);
      expect(rival.code).toBe(1);
      expect(rival.stderr.split('\n')[0]).toMatch(
        new RegExp(
          `^error .*/b2 is in use by mediaferry emulator \\(pid ${server.pid} .*serving ${b2.url}\\)`,
        ),
      );
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
  });
});

describe('mediaferry emulator start-up', () => {
  it('fails at once with one line on a data directory it cannot use', async () => {
    const result = await run(['emulator', '--services', 'b2', '--data', '/proc/mediaferry-x']);
    expect(result.code).toBe(1);
    const [line, hint] = result.stderr.trim().split('\n');
    expect(line).toMatch(/^error cannot keep emulator state in \/proc\/mediaferry-x\/b2: /);
    expect(hint).toMatch(/^hint/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('links the console of every service and their index', async () => {
    const env = await isolatedEnv();
    const server = start(['emulator', '--port', '0', '--services', 'b2,gopro'], env);
    const exited = new Promise((resolve) => server.once('exit', resolve));
    let out = '';
    server.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    try {
      await until(async () => out.includes('Press Ctrl+C'), 'the start-up banner');
      const index = /Console: (http:\/\/127\.0\.0\.1:\d+\/__emulator\/ui\/all)/.exec(out)?.[1];
      expect(index).toBeDefined();
      const page = await (await fetch(index!)).text();
      expect(page).toContain('All services');
      expect(page).toMatch(/gopro/);
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
  });
});
