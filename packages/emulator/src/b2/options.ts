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
