/**
 * Asking the user for a value: on a terminal, a prompt on stderr with the typed characters hidden for secrets;
 * otherwise one line of standard input per question (`printf 'id\nkey\n' | mediaferry login b2`).
 *
 * @module
 */
import { createInterface, type Interface } from 'node:readline';
import { CliError, EXIT, UsageError } from './errors.js';

let lines:
  | { reader: Interface; queue: string[]; waiting: ((line: string | undefined) => void)[]; ended: boolean }
  | undefined;

/** The next line of a piped standard input, undefined at its end. */
function nextLine(): Promise<string | undefined> {
  if (!lines) {
    const state = {
      reader: createInterface({ input: process.stdin, terminal: false, crlfDelay: Number.POSITIVE_INFINITY }),
      queue: [] as string[],
      waiting: [] as ((line: string | undefined) => void)[],
      ended: false,
    };
    state.reader.on('line', (line) => {
      const waiter = state.waiting.shift();
      if (waiter) waiter(line);
      else state.queue.push(line);
    });
    state.reader.on('close', () => {
      state.ended = true;
      for (const waiter of state.waiting.splice(0)) waiter(undefined);
    });
    lines = state;
  }
  const state = lines;
  if (state.queue.length > 0) return Promise.resolve(state.queue.shift());
  if (state.ended) return Promise.resolve(undefined);
  return new Promise((resolve) => state.waiting.push(resolve));
}

/** Stops reading standard input so the process can exit. */
export function closePrompts(): void {
  lines?.reader.close();
  lines = undefined;
}

/** Reads a line on a terminal in raw mode, echoing `*`-free (nothing) for secrets; Ctrl+C cancels. */
function readTerminal(question: string, secret: boolean): Promise<string> {
  const input = process.stdin;
  // Echo goes off before the question shows: an answer typed (or pasted) at once is never echoed.
  input.setRawMode(true);
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    input.resume();
    input.setEncoding('utf8');
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new CliError('cancelled', undefined, EXIT.interrupted));
        if (char === '\u0004') {
          if (value === '') return done(new UsageError('no value given'));
          return done();
        }
        if (char === '\u007f' || char === '\b') {
          if (value.length > 0) {
            value = value.slice(0, -1);
            if (!secret) process.stderr.write('\b \b');
          }
          continue;
        }
        if (char < ' ') continue;
        value += char;
        if (!secret) process.stderr.write(char);
      }
    };
    input.on('data', onData);
  });
}

/**
 * Asks for one value. A secret typed on a terminal is not echoed; from a pipe, the next line is the answer.
 * An empty answer is a usage error naming the field.
 */
export async function ask(question: string, options: { secret: boolean; field: string }): Promise<string> {
  const value = process.stdin.isTTY ? await readTerminal(question, options.secret) : await nextLine();
  if (value === undefined || value.trim() === '')
    throw new UsageError(
      `no ${options.field} given${process.stdin.isTTY ? '' : ' (standard input ended)'}`,
      process.stdin.isTTY
        ? undefined
        : `pipe one line per value, e.g. printf '%s\\n' "$SECRET" | mediaferry …`,
    );
  return value.trim();
}
