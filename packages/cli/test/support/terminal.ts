/**
 * The CLI under a pseudo-terminal (util-linux `script`), and a small screen model that applies the escape
 * sequences the CLI writes (cursor up, clear to end of screen or line, carriage return), so a test can read
 * the frame a person would see.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { BIN, finish, type RunResult } from './cli.js';

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * Starts `mediaferry ARGS` on a pseudo-terminal of `cols` × `rows`. stdout of the returned child carries
 * everything the terminal received (the CLI's stdout and stderr, as a person sees them); `input`, when
 * given, is typed into the terminal once the CLI asks for it.
 */
export function startInPty(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { cols?: number; rows?: number } = {},
): ChildProcess {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  const size = `stty cols ${options.cols ?? 100} rows ${options.rows ?? 30}`;
  return spawn('script', ['-qfec', `${size}; exec ${command}`, '/dev/null'], {
    env: { ...env, TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function runInPty(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { cols?: number; rows?: number } = {},
): Promise<RunResult> {
  const child = startInPty(args, env, options);
  child.stdin?.end();
  return finish(child);
}

/** The screen after `output`: the lines a terminal would show (trailing spaces trimmed, empty end lines dropped). */
export function screen(output: string): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  for (let i = 0; i < output.length; i += 1) {
    const char = output[i]!;
    if (char === '\u001b') {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: reading escape sequences is the point
      const match = /^\u001b\[(\??)(\d*)([A-Za-z])/.exec(output.slice(i));
      if (!match) continue;
      i += match[0].length - 1;
      const [, private_, count, code] = match;
      if (private_) continue;
      if (code === 'A') row = Math.max(0, row - Number(count || 1));
      else if (code === 'J') {
        lines[row] = (lines[row] ?? []).slice(0, col);
        lines.length = row + 1;
      } else if (code === 'K') lines[row] = (lines[row] ?? []).slice(0, col);
      continue;
    }
    if (char === '\r') col = 0;
    else if (char === '\n') {
      row += 1;
      col = 0;
      while (lines.length <= row) lines.push([]);
    } else {
      const line = lines[row] ?? [];
      lines[row] = line;
      while (line.length < col) line.push(' ');
      line[col] = char;
      col += 1;
    }
  }
  const text = lines.map((line) => line.join('').trimEnd());
  while (text.length && text.at(-1) === '') text.pop();
  return text;
}
