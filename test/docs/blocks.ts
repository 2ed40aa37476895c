/**
 * Reads the fenced code blocks of a Markdown file: their language, tags and where they start. The info string
 * after the language carries tags GitHub does not render (` ```sh ci `, ` ```sh repo `).
 */
export interface CodeBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: string;
  readonly tags: readonly string[];
  readonly code: string;
}

export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '```', language = '', info = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j += 1) {
      const line = lines[j]!;
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line);
    }
    blocks.push({
      file,
      line: i + 1,
      language: language.toLowerCase(),
      tags: info.split(/\s+/).filter(Boolean),
      code: `${body.join('\n')}\n`,
    });
    i = j;
  }
  return blocks;
}

/** Languages the doc-test runs, and the ones that are data or output (never run). */
export const SHELL = new Set(['sh', 'bash', 'shell']);
export const SCRIPT = new Set(['js', 'mjs', 'javascript']);
export const DATA = new Set(['', 'text', 'txt', 'json', 'jsonc', 'yaml', 'yml', 'console', 'http', 'diff']);

/** The command lines of a shell block, without comments and blank lines. */
export function commandLines(code: string): string[] {
  return code
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The file a script block asks to be saved as: its first line `// name.mjs`. */
export function scriptFileName(block: CodeBlock, index: number): string {
  const named = /^\/\/\s*([\w.-]+\.m?js)\s*$/.exec(block.code.split('\n')[0] ?? '');
  return named?.[1] ?? `block-${index + 1}.mjs`;
}
