import { defaultsOf, type OptionCatalog } from '../framework/index.js';

/** The BigGo emulator's options: the points spec B marks as unverified, plus timings tests want to change. */
export interface BigGoEmulatorOptions {
  readonly tokenTtlSeconds: number;
  readonly processingMs: number;
  readonly perPage: number;
  readonly queuedStatus: 0 | 1;
  readonly requireFullUpdate: boolean;
  readonly duplicateStatus: 409 | 400;
  readonly transcodeErrorStatus: 422 | 500;
  readonly uploadErrorType: boolean;
  readonly checkFileSize: boolean;
  readonly maxProducts: number;
  readonly unknownClientCode: 1003 | 1005;
}

/** What each option means and where the spec discusses it. */
export const biggoOptionCatalog: OptionCatalog<BigGoEmulatorOptions> = {
  tokenTtlSeconds: {
    type: 'integer',
    min: 1,
    default: 3600,
    description: 'lifetime of access tokens (expires_in), virtual seconds; 3600 observed',
    spec: 'gopro-biggo.md §B2, §B8',
  },
  processingMs: {
    type: 'integer',
    min: 0,
    default: 2000,
    description:
      'virtual ms a new upload stays queued before processing completes (the tests poll every 5 s)',
    spec: 'gopro-biggo.md §B6',
  },
  perPage: {
    type: 'integer',
    min: 1,
    default: 20,
    description: 'videos per page of user listings (20 in both upstream clients)',
    spec: 'gopro-biggo.md §B4',
  },
  queuedStatus: {
    type: 'enum',
    values: [0, 1],
    default: 0,
    description: 'process_status of a queued video: Python says 0, the JS client 1',
    spec: 'gopro-biggo.md §B5',
  },
  requireFullUpdate: {
    type: 'boolean',
    default: true,
    description: 'a full update (POST) without title, description or access is 1010 MISSING_PARAMETERS',
    spec: 'gopro-biggo.md §B4 (team decision)',
  },
  duplicateStatus: {
    type: 'enum',
    values: [409, 400],
    default: 409,
    description: 'HTTP status of a duplicate upload (code 1002)',
    spec: 'gopro-biggo.md §B5',
  },
  transcodeErrorStatus: {
    type: 'enum',
    values: [422, 500],
    default: 422,
    description: 'HTTP status of a transcode failure (code 1001, an empty file here)',
    spec: 'gopro-biggo.md §B5',
  },
  uploadErrorType: {
    type: 'boolean',
    default: true,
    description: "upload errors also carry JS 0.5.2's error_type beside error{code,message}",
    spec: 'gopro-biggo.md §B4',
  },
  checkFileSize: {
    type: 'boolean',
    default: false,
    description: 'reject an upload whose File-Size header disagrees with the bytes received (1006)',
    spec: 'gopro-biggo.md §B4',
  },
  maxProducts: {
    type: 'integer',
    min: 0,
    default: 10,
    description: 'most products a video may carry; more is 1009',
    spec: 'gopro-biggo.md §B4, §B5',
  },
  unknownClientCode: {
    type: 'enum',
    values: [1005, 1003],
    default: 1005,
    description:
      'token endpoint code for an unknown client_id: 1005 (bad credentials, §B8) or 1003 APP_KEY_NOT_EXIST',
    spec: 'gopro-biggo.md §B2, §B8',
  },
};

/** Defaults of {@link BigGoEmulatorOptions}. */
export const BIGGO_DEFAULT_OPTIONS: BigGoEmulatorOptions = defaultsOf(biggoOptionCatalog);
