/**
 * A live region at the bottom of a terminal: redrawn in place (cursor up, clear to the end of the screen),
 * with log lines printed above it. Lines are never wider than the terminal, so counting them is exact.
 *
 * @module
 */

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const CLEAR_DOWN = '\u001b[J';
const up = (lines: number) => (lines > 0 ? `\u001b[${lines}A` : '');

export class LiveRegion {
  #height = 0;
  #last: readonly string[] = [];
  #started = false;
  readonly #stream: NodeJS.WriteStream;

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
  }

  get width(): number {
    return this.#stream.columns || 80;
  }

  /** Replaces the region with `lines`. */
  draw(lines: readonly string[]): void {
    let out = this.#started ? '' : HIDE_CURSOR;
    this.#started = true;
    out += `${up(this.#height)}\r${CLEAR_DOWN}`;
    if (lines.length) out += `${lines.join('\n')}\n`;
    this.#height = lines.length;
    this.#last = lines;
    this.#stream.write(out);
  }

  /** Prints a line above the region and draws the region again under it. */
  log(line: string): void {
    this.#stream.write(`${up(this.#height)}\r${CLEAR_DOWN}${line}\n`);
    this.#height = 0;
    this.draw(this.#last);
  }

  /** Removes the region and gives the cursor back. */
  close(): void {
    if (!this.#started) return;
    this.#stream.write(`${up(this.#height)}\r${CLEAR_DOWN}${SHOW_CURSOR}`);
    this.#height = 0;
    this.#started = false;
  }
}
