/** The BigGo emulator's options: the points spec B marks as unverified, plus timings tests want to change. */
export interface BigGoEmulatorOptions {
  /** Lifetime of access tokens (`expires_in`), virtual seconds. Real value observed: 3600. */
  readonly tokenTtlSeconds: number;
  /**
   * How long a new upload stays queued before processing completes, virtual ms. Small by default so a CLI
   * run against the emulator waits about two seconds; the Python tests poll every 5 s.
   */
  readonly processingMs: number;
  /** Videos per page of the user listings (20 in both upstream clients). */
  readonly perPage: number;
  /**
   * The `process_status` of a queued video. Python's enum says 0, the JS client's says 1 (spec B5); the
   * spec picks 0.
   */
  readonly queuedStatus: 0 | 1;
  /**
   * A full update (POST) without `title`, `description` or `access` answers 1010 MISSING_PARAMETERS. The
   * real server's rule is unknown (spec B4).
   */
  readonly requireFullUpdate: boolean;
  /** HTTP status of a duplicate upload (code 1002): the spec allows 409 or 400. */
  readonly duplicateStatus: 409 | 400;
  /** Upload errors also carry JS 0.5.2's `error_type` (spec B4: send both shapes). */
  readonly uploadErrorType: boolean;
  /** Reject an upload whose `File-Size` header disagrees with the bytes received (1006). Unverified. */
  readonly checkFileSize: boolean;
  /** Most products a video may carry; more is 1009. */
  readonly maxProducts: number;
}

/** Defaults of {@link BigGoEmulatorOptions}. */
export const BIGGO_DEFAULT_OPTIONS: BigGoEmulatorOptions = {
  tokenTtlSeconds: 3600,
  processingMs: 2000,
  perPage: 20,
  queuedStatus: 0,
  requireFullUpdate: true,
  duplicateStatus: 409,
  uploadErrorType: true,
  checkFileSize: false,
  maxProducts: 10,
};
