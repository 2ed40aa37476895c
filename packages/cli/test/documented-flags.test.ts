/**
 * Every command line the docs show — README.md's shell blocks and the "Examples:" of every `--help` — names
 * commands and flags that exist: parsed by the real command tree, with actions replaced by no-ops.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { codeBlocks, SHELL } from '../../../test/docs/blocks.js';
import { buildProgram } from '../src/program.js';

/** Splits a shell command line into words (single and double quotes, no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:\\.|[^"\\])*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3]!);
  return out;
}

const quote = (word: string) => (/[\s"]/.test(word) ? `'${word}'` : word);

/** The `mediaferry …` invocations in a piece of shell, including inside `$(…)`; comments dropped. */
function invocations(shell: string): string[][] {
  const found: string[][] = [];
  for (const raw of shell.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    for (const m of line.matchAll(/(?:^|[\s;(&|])(?:npx )?mediaferry\s+([^;&|)`]*)/g)) {
      const args = words(m[1]!.trim());
      const redirect = args.findIndex((w) => w.startsWith('>'));
      found.push(redirect >= 0 ? args.slice(0, redirect) : args);
    }
  }
  return found;
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

/** Parses like the CLI does; `--help` and `--version` end parsing on purpose and count as valid. */
async function parses(line: string): Promise<void> {
  try {
    await parsingProgram().parseAsync(words(line), { from: 'user' });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return;
    throw error;
  }
}

/** A program whose actions do nothing and whose output goes nowhere: parsing only. */
function parsingProgram(): Command {
  const program = buildProgram();
  for (const command of allCommands(program)) {
    command.action(() => {});
    command.exitOverride();
    command.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  }
  return program;
}

function helpExamples(): string[] {
  const examples: string[] = [];
  for (const command of allCommands(buildProgram())) {
    let text = '';
    command.configureOutput({ writeOut: (s) => (text += s), writeErr: () => {} });
    command.outputHelp();
    const after = text.split(/\nExamples:\n/)[1];
    if (after)
      examples.push(
        ...after.split('\n').filter((l) => l.trim().startsWith('mediaferry ') || l.includes('"$(mediaferry')),
      );
  }
  return examples;
}

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const readmeLines = codeBlocks('README.md', readme)
  .filter((b) => SHELL.has(b.language))
  .flatMap((b) => invocations(b.code));

describe('documented command lines parse', () => {
  it('finds the README and --help examples (the check is not vacuous)', () => {
    expect(readmeLines.length).toBeGreaterThan(10);
    expect(helpExamples().length).toBeGreaterThan(5);
  });

  it.each(readmeLines.map((args) => [args.map(quote).join(' ')]))('README: mediaferry %s', async (line) => {
    await parses(line);
  });

  it.each(
    helpExamples()
      .flatMap((l) => invocations(l))
      .map((args) => [args.map(quote).join(' ')]),
  )('--help example: mediaferry %s', async (line) => {
    await parses(line);
  });

  it('an unknown flag does fail this check', async () => {
    await expect(
      parsingProgram().parseAsync(['b2', 'buckets', '--no-such-flag'], { from: 'user' }),
    ).rejects.toThrow(/unknown option/);
  });
});
