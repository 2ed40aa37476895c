/**
 * What a service shows in the web console (`/__emulator/ui/`) and what the console may do to its state.
 * A service describes pages as plain data; the console renders them (escaped), so a service writes no HTML.
 */
import type { ServiceContext } from './define.js';

/** A value in a table cell or a field. */
export type ConsoleCell =
  | string
  | number
  | boolean
  | null
  | undefined
  /** Text, in monospace when `mono`; a link to another console page when `at` is set. */
  | { readonly text: string; readonly at?: string; readonly mono?: boolean; readonly title?: string }
  /** A download link for a blob, saved as `name`. */
  | { readonly download: string; readonly name: string; readonly label?: string }
  /** A blob shown as an image (a thumbnail). */
  | { readonly image: string; readonly alt: string }
  /** A button that runs one of the service's console actions on `target`. */
  | { readonly action: string; readonly target: string; readonly label: string; readonly confirm?: string }
  /** A short status word, coloured by tone. */
  | { readonly badge: string; readonly tone?: 'ok' | 'warn' | 'bad' | 'info' }
  /** Several values side by side. */
  | { readonly list: readonly ConsoleCell[] };

export type ConsoleNode =
  | {
      readonly kind: 'table';
      readonly title?: string;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly ConsoleCell[])[];
      /** Shown instead of an empty table. */
      readonly empty?: string;
      /** Shown under the table (e.g. "first 500 of 2,000"). */
      readonly note?: string;
    }
  | {
      readonly kind: 'fields';
      readonly title?: string;
      readonly fields: readonly (readonly [string, ConsoleCell])[];
    }
  /** A titled block that folds (`<details>`); `open` unfolds it by default. */
  | {
      readonly kind: 'group';
      readonly title: string;
      readonly summary?: string;
      readonly open?: boolean;
      readonly children: readonly ConsoleNode[];
    };

export interface ConsolePage {
  readonly title: string;
  /** The way back up: `[label, at]` pairs, the overview first (its `at` is ''). */
  readonly trail?: readonly (readonly [string, string])[];
  readonly nodes: readonly ConsoleNode[];
}

export interface ConsoleAction<S, O> {
  /** Does the thing to `target` and says what it did; throw (`fail(…)`) to refuse. */
  run(ctx: ServiceContext<S, O>, target: string): string | Promise<string>;
}

export interface ServiceConsole<S, O> {
  /** A few counts for the index of every service (`{ buckets: 2, files: 14 }`). */
  summary(ctx: ServiceContext<S, O>): Record<string, number>;
  /** The page at `at` (`''` is the overview, e.g. `bucket/<id>` below it), or undefined if there is none. */
  view(ctx: ServiceContext<S, O>, at: string, query: URLSearchParams): ConsolePage | undefined;
  readonly actions?: Readonly<Record<string, ConsoleAction<S, O>>>;
}
