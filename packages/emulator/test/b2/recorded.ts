/**
 * Reads the recorded real-B2 exchanges (test/fixtures/b2-recorded/*.yaml, vendored from rjframe/b2-client). The files are a regular subset
 * of YAML written by one recorder, so a small line parser is enough and keeps a YAML dependency out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RECORDED_DIR = fileURLToPath(new URL('../fixtures/b2-recorded/', import.meta.url));

export interface RecordedExchange {
  readonly file: string;
  readonly method: string;
  readonly url: string;
  /** The B2 call name (`b2_create_bucket`, `download_file_by_name`…). */
  readonly call: string;
  readonly requestBody: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function scalar(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('"')) return JSON.parse(trimmed) as string;
  return trimmed === '~' ? '' : trimmed;
}

function callOf(url: string): string {
  const path = new URL(url).pathname;
  if (path.startsWith('/file/')) return 'download_file_by_name';
  return /\/b2api\/v\d\/(b2_[a-z_]+)/.exec(path)?.[1] ?? path;
}

export function loadRecorded(): RecordedExchange[] {
  const out: RecordedExchange[] = [];
  for (const file of readdirSync(RECORDED_DIR).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of readFileSync(`${RECORDED_DIR}${file}`, 'utf8').split(/^---$/m)) {
      const [request = '', response = ''] = doc.split(/^- Response:$/m);
      if (!request.includes('- Request:')) continue;
      const headers: Record<string, string> = {};
      const headerBlock = /headers:\n((?:\s{6}.*\n)*)/.exec(response)?.[1] ?? '';
      for (const match of headerBlock.matchAll(/^\s{6}"?([A-Za-z0-9_-]+)"?:\n\s{8}- (.*)$/gm))
        headers[match[1]!.toLowerCase()] = scalar(match[2]!);
      const url = scalar(/^\s+url: (.*)$/m.exec(request)?.[1] ?? '');
      out.push({
        file,
        method: scalar(/^\s+method: (.*)$/m.exec(request)?.[1] ?? 'GET'),
        url,
        call: callOf(url),
        requestBody: scalar(/^\s{4}body: (.*)$/m.exec(request)?.[1] ?? ''),
        status: Number(/^\s+status: (\d+)$/m.exec(response)?.[1]),
        headers,
        body: scalar(/^\s{4}body: (.*)$/m.exec(response)?.[1] ?? ''),
      });
    }
  }
  return out;
}

/** A JSON value's shape: keys and value types, arrays by their first element. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}
