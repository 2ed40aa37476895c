/**
 * Which entries a copy, sync or listing considers: rclone's `--include`/`--exclude` rules (in the order given,
 * the first that matches decides; with any `--include`, what no rule matches is excluded), size and age
 * bounds, and the junk every disk collects, skipped unless `--no-default-excludes`.
 *
 * @module
 */
import { PARTIAL_DIR } from '../copy/partials.js';
import type { Entry, Source } from '../copy/types.js';
import { UsageError } from '../errors.js';
import { formatBytes } from '../output.js';
import { parseAgeLimit, parseSize } from '../units.js';
import { compileGlob } from './glob.js';
import type { RuleFlag } from './rules.js';

/** The filter flags as commander gives them. */
export interface FilterFlags {
  readonly include?: readonly RuleFlag[];
  readonly exclude?: readonly RuleFlag[];
  readonly minSize?: string;
  readonly maxSize?: string;
  readonly minAge?: string;
  readonly maxAge?: string;
  /** False with `--no-default-excludes`. */
  readonly defaultExcludes?: boolean;
}

/** Skipped everywhere unless `--no-default-excludes`: OS clutter and mediaferry's own temporary files. */
export const DEFAULT_EXCLUDES = [
  '.DS_Store',
  '._*',
  'Thumbs.db',
  'desktop.ini',
  '.Trashes/',
  '.Spotlight-V100/',
  '.fseventsd/',
  '*.mfpart',
  `${PARTIAL_DIR}/`,
] as const;

interface Rule {
  readonly include: boolean;
  readonly regex: RegExp;
  readonly label: string;
}

/** What a filter knows of an entry: its path, and its size and time when the side states them. */
export type Filterable = Pick<Entry, 'path' | 'size' | 'modifiedMs'>;

export class Filter {
  readonly #rules: Rule[];
  readonly #hasInclude: boolean;
  readonly #minSize: number | undefined;
  readonly #maxSize: number | undefined;
  /** Entries must be modified at or after this (`--max-age`)… */
  readonly #notBefore: number | undefined;
  /** …and at or before this (`--min-age`). */
  readonly #notAfter: number | undefined;
  readonly #flags: FilterFlags;

  constructor(flags: FilterFlags = {}, now = Date.now()) {
    this.#flags = flags;
    const user = [
      ...(flags.include ?? []).map((r) => ({ ...r, include: true })),
      ...(flags.exclude ?? []).map((r) => ({ ...r, include: false })),
    ].sort((a, b) => a.order - b.order);
    this.#rules = [
      ...(flags.defaultExcludes === false
        ? []
        : DEFAULT_EXCLUDES.map((pattern) => ({
            include: false,
            regex: compileGlob(pattern, true),
            label: `a default exclude (${pattern}; --no-default-excludes keeps it)`,
          }))),
      ...user.map((r) => ({
        include: r.include,
        regex: compileGlob(r.pattern),
        label: `${r.include ? '--include' : '--exclude'} ${r.pattern}`,
      })),
    ];
    this.#hasInclude = user.some((r) => r.include);
    this.#minSize = flags.minSize === undefined ? undefined : parseSize(flags.minSize, '--min-size');
    this.#maxSize = flags.maxSize === undefined ? undefined : parseSize(flags.maxSize, '--max-size');
    this.#notBefore = flags.maxAge === undefined ? undefined : parseAgeLimit(flags.maxAge, '--max-age', now);
    this.#notAfter = flags.minAge === undefined ? undefined : parseAgeLimit(flags.minAge, '--min-age', now);
    if (this.#minSize !== undefined && this.#maxSize !== undefined && this.#minSize > this.#maxSize)
      throw new UsageError('--min-size is larger than --max-size: nothing would pass');
    if (this.#notBefore !== undefined && this.#notAfter !== undefined && this.#notBefore > this.#notAfter)
      throw new UsageError('--max-age is shorter than --min-age: nothing would pass');
  }

  /** True when the user gave any filter flag (the default excludes do not count). */
  get custom(): boolean {
    const f = this.#flags;
    return Boolean(f.include?.length || f.exclude?.length || f.minSize || f.maxSize || f.minAge || f.maxAge);
  }

  /** Why the entry is left out, or undefined when it passes. */
  verdict(entry: Filterable): string | undefined {
    const rule = this.#rules.find((r) => r.regex.test(entry.path));
    if (rule && !rule.include) return `excluded by ${rule.label}`;
    if (!rule && this.#hasInclude) return 'matches no --include';
    if (this.#minSize !== undefined || this.#maxSize !== undefined) {
      if (entry.size === undefined) return 'size unknown, and a size filter is set';
      if (this.#minSize !== undefined && entry.size < this.#minSize)
        return `smaller than --min-size ${formatBytes(this.#minSize)}`;
      if (this.#maxSize !== undefined && entry.size > this.#maxSize)
        return `larger than --max-size ${formatBytes(this.#maxSize)}`;
    }
    if (this.#notBefore !== undefined || this.#notAfter !== undefined) {
      if (entry.modifiedMs === undefined) return 'date unknown, and an age filter is set';
      if (this.#notBefore !== undefined && entry.modifiedMs < this.#notBefore) return 'older than --max-age';
      if (this.#notAfter !== undefined && entry.modifiedMs > this.#notAfter) return 'newer than --min-age';
    }
    return undefined;
  }
}

/** A source whose listing leaves out what the filter excludes, telling `onExcluded` about each. */
export function filtered(
  source: Source,
  filter: Filter,
  onExcluded: (entry: Entry, reason: string) => void,
): Source {
  return {
    ...source,
    async *list(signal) {
      for await (const entry of source.list(signal)) {
        const reason = filter.verdict(entry);
        if (reason === undefined) yield entry;
        else onExcluded(entry, reason);
      }
    },
  };
}
