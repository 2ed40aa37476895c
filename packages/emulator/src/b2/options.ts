import type { OptionCatalog } from '../framework/index.js';

/** Limits and unverified behaviours (spec b2.md §4, §7), each configurable. */
export interface B2EmulatorOptions {
  readonly recommendedPartSize: number;
  readonly absoluteMinimumPartSize: number;
  readonly maxSmallFileSize: number;
  readonly bucketNameMaxLength: number;
  readonly maxBuckets: number;
  /** Account token lifetime, virtual seconds (24 h on B2). */
  readonly tokenTtlSeconds: number;
  /** b2sdk's rule: hiding a missing name is `no_such_file`, hiding twice `already_hidden`. Off: always hide. */
  readonly strictHide: boolean;
  /** Reject file names with a backslash (older docs; unverified today). */
  readonly rejectBackslash: boolean;
}

export const defaultB2Options: B2EmulatorOptions = {
  recommendedPartSize: 100_000_000,
  absoluteMinimumPartSize: 5_000_000,
  maxSmallFileSize: 5_000_000_000,
  bucketNameMaxLength: 63,
  maxBuckets: 100,
  tokenTtlSeconds: 86_400,
  strictHide: true,
  rejectBackslash: false,
};

/** What each B2 option means, for `--option b2.<name>=…` and `/__emulator/options` (defaults as above). */
export const b2OptionCatalog: OptionCatalog<B2EmulatorOptions> = {
  recommendedPartSize: {
    type: 'integer',
    min: 1,
    default: defaultB2Options.recommendedPartSize,
    description: 'recommendedPartSize advertised by b2_authorize_account (bytes)',
    spec: 'b2.md §4',
  },
  absoluteMinimumPartSize: {
    type: 'integer',
    min: 1,
    default: defaultB2Options.absoluteMinimumPartSize,
    description: 'smallest part (but the last) b2_finish_large_file accepts (bytes)',
    spec: 'b2.md §4',
  },
  maxSmallFileSize: {
    type: 'integer',
    min: 0,
    default: defaultB2Options.maxSmallFileSize,
    description: 'largest body b2_upload_file accepts (bytes)',
    spec: 'b2.md §4',
  },
  bucketNameMaxLength: {
    type: 'integer',
    min: 6,
    default: defaultB2Options.bucketNameMaxLength,
    description: 'longest bucket name (63 in current docs, 50 in older ones)',
    spec: 'b2.md §3.5, §4',
  },
  maxBuckets: {
    type: 'integer',
    min: 0,
    default: defaultB2Options.maxBuckets,
    description: 'buckets per account before too_many_buckets (unverified whether still 100)',
    spec: 'b2.md §4, §7.5',
  },
  tokenTtlSeconds: {
    type: 'integer',
    min: 1,
    default: defaultB2Options.tokenTtlSeconds,
    description: 'account token lifetime in virtual seconds',
    spec: 'b2.md §4 (authorize_account)',
  },
  strictHide: {
    type: 'boolean',
    default: defaultB2Options.strictHide,
    description:
      'hiding a missing name is no_such_file, hiding twice already_hidden (b2sdk); off: always hide',
    spec: 'b2.md §7.2',
  },
  rejectBackslash: {
    type: 'boolean',
    default: defaultB2Options.rejectBackslash,
    description: 'reject file names containing a backslash (older docs; unverified today)',
    spec: 'b2.md §4, §7.4',
  },
};
