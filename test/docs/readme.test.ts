/**
 * The README is executable: every shell and script block of README.md and of each package's README runs,
 * in order, as a new user would run it — in a fresh folder with a temporary HOME, `mediaferry` put on the
 * PATH by the README's own `npm link` line (into a temporary npm prefix), no credentials and no network.
 * A block fails on a non-zero exit or on any Node warning it prints.
 *
 * Tags after the language: `ci` — the block is what `.ci/run` runs (checked here, not re-run: it reinstalls
 * the repository); `repo` — runs at the repository root instead of the temp folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeBlock, codeBlocks, commandLines, DATA, SCRIPT, SHELL, scriptFileName } from './blocks.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'packages/cli/bin/mediaferry.js');
const BLOCK_TIMEOUT_MS = 120_000;
const NODE_WARNING = /\(node:\d+\) (\[\w+\] )?\w*Warning/;

const documents = [
  'README.md',
  ...readdirSync(join(REPO, 'packages'))
    .map((name) => `packages/${name}/README.md`)
    .filter((path) => existsSync(join(REPO, path))),
];

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const tail = (text: string, lines = 30) => text.trimEnd().split('\n').slice(-lines).join('\n');

function explain(block: CodeBlock, ran: Ran): string {
  return `${block.file}:${block.line} exited ${ran.code}\n--- stdout\n${tail(ran.stdout)}\n--- stderr\n${tail(ran.stderr)}`;
}

/** `env -0` output → an environment for the next block (so `export`/`eval` in one block reach the next). */
function parseEnv(dump: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const entry of dump.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    if (['_', 'SHLVL', 'PWD', 'OLDPWD'].includes(name)) continue;
    env[name] = entry.slice(eq + 1);
  }
  return env;
}

const title = (block: CodeBlock) =>
  `${block.file}:${block.line} ${block.language}${block.tags.length ? ` [${block.tags.join(' ')}]` : ''}: ${
    commandLines(block.code)[0]?.slice(0, 60) ?? block.code.split('\n')[0]
  }`;

for (const document of documents) {
  const blocks = codeBlocks(document, readFileSync(join(REPO, document), 'utf8'));

  describe.sequential(`${document} runs as written`, () => {
    let work = '';
    let env: NodeJS.ProcessEnv = {};

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'mf-readme-'));
      const home = join(work, 'home');
      const prefix = join(work, 'npm-prefix');
      await mkdir(join(work, 'cwd'), { recursive: true });
      await mkdir(home, { recursive: true });
      // A project that has the packages installed: what `import '@mediaferry/b2'` in a script needs.
      await symlink(join(REPO, 'node_modules'), join(work, 'cwd', 'node_modules'), 'dir');
      env = {
        PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_STATE_HOME: join(home, '.local', 'state'),
        TMPDIR: process.env.TMPDIR ?? tmpdir(),
        NPM_CONFIG_PREFIX: prefix,
        NPM_CONFIG_UPDATE_NOTIFIER: 'false',
        NO_COLOR: '1',
        LANG: 'C.UTF-8',
      };
    });

    afterAll(async () => {
      // A block may have left an emulator in the background: stop it, whatever the outcome.
      if (work) await runProcess(process.execPath, [CLI, 'emulator', 'stop', '-q'], join(work, 'cwd'), env);
      if (work) await rm(work, { recursive: true, force: true });
    });

    blocks.forEach((block, index) => {
      if (DATA.has(block.language)) return;

      if (block.tags.includes('ci')) {
        it(title(block), () => {
          const ci = readFileSync(join(REPO, '.ci/run'), 'utf8');
          for (const line of commandLines(block.code))
            for (const command of line.split('&&').map((c) => c.trim()))
              expect(ci, `${block.file}:${block.line}: .ci/run does not run "${command}"`).toContain(command);
        });
        return;
      }

      if (SCRIPT.has(block.language)) {
        const name = scriptFileName(block, index);
        const runLater = blocks
          .slice(index + 1)
          .some((later) => SHELL.has(later.language) && later.code.includes(name));
        it(title(block), { timeout: BLOCK_TIMEOUT_MS }, async () => {
          await writeFile(join(work, 'cwd', name), block.code);
          if (runLater) return;
          const ran = await runProcess(process.execPath, [name], join(work, 'cwd'), env);
          expect(ran.code, explain(block, ran)).toBe(0);
          expect(ran.stderr, explain(block, ran)).not.toMatch(NODE_WARNING);
        });
        return;
      }

      if (SHELL.has(block.language)) {
        it(title(block), { timeout: BLOCK_TIMEOUT_MS }, async () => {
          const cwd = block.tags.includes('repo') ? REPO : join(work, 'cwd');
          const envFile = join(work, `env-${index}`);
          const script = `${block.code}\nenv -0 > ${JSON.stringify(envFile)}\n`;
          const ran = await runProcess('bash', ['-e', '-o', 'pipefail', '-c', script], cwd, env);
          expect(ran.code, explain(block, ran)).toBe(0);
          expect(ran.stderr, explain(block, ran)).not.toMatch(NODE_WARNING);
          env = parseEnv(await readFile(envFile, 'utf8'));
        });
        return;
      }

      it(title(block), () => {
        throw new Error(
          `${block.file}:${block.line}: a \`${block.language}\` block cannot be run; use sh or js, or mark data as text/json`,
        );
      });
    });
  });
}
