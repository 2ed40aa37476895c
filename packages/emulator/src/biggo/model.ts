/** The BigGo emulator's state, error codes and the small rules every route shares. */
import { fail, type ServiceContext } from '../framework/index.js';
import type { BigGoEmulatorOptions } from './options.js';

/** A registered API client (client-credentials app) and the user it acts for. */
export interface BgClient {
  secret: string;
  userid: string;
}

/** A BigGo user (a channel owner). */
export interface BgUser {
  userid: string;
  at_userid: string;
  name: string;
  description: string;
  region: string;
}

/** A product a video is tagged with. */
export interface BgProduct {
  nindex: string;
  oid: string;
}

/** An uploaded video as the emulator keeps it. */
export interface BgVideo {
  video_id: string;
  userid: string;
  title: string;
  description: string | null;
  /** 0 public, 1 private, 2 unlisted (always stored and returned as an integer). */
  access: number;
  thumbnail_time: number;
  product_list: BgProduct[];
  /** Virtual epoch ms; processing completes `processingMs` later. */
  uploadedAt: number;
  blobId: string;
  sha1: string;
  size: number;
  filename: string;
  /** What the upload said in `File-Size` (null when absent). */
  fileSizeHeader: number | null;
  /** The `region` header of the upload request, when one was sent. */
  region: string | null;
  /** Which multipart part carried the file: `video` (Python) or `file` (JS). */
  part: string;
  edited: boolean;
  views: number;
}

/** The BigGo emulator's state: API clients, users, issued tokens and videos. */
export interface BgState {
  clients: Record<string, BgClient>;
  users: Record<string, BgUser>;
  tokens: Record<string, { userid: string; expires: number }>;
  videos: Record<string, BgVideo>;
}

/** What the BigGo emulator's routes and seeds work on: its state, options, clock and blobs. */
export type BgCtx = ServiceContext<BgState, BigGoEmulatorOptions>;

/** The demo app's credentials, printed by `mediaferry emulator`. */
export const BIGGO_DEMO_CLIENT = { clientId: 'biggo-demo-client', clientSecret: 'biggo-demo-secret' };
/** A second app, acting for the second demo user (for ownership tests). */
export const BIGGO_OTHER_CLIENT = { clientId: 'biggo-harbour-client', clientSecret: 'biggo-harbour-secret' };

/** BigGo API error codes (`BigGoAPIErrorEnum`, spec B5). */
export const ApiCode = {
  ERROR_METHOD: 1,
  WITHOUT_VERIFY: 2,
  JWT_INVALID: 3,
  JWT_EXPIRED: 4,
  VIDEO_UPLOAD_TRANSCODE_ERROR: 1001,
  VIDEO_UPLOAD_VIDEO_EXIST: 1002,
  VIDEO_DIFFERENT_USER: 1003,
  VIDEO_NOT_EXIST: 1004,
  VIDEO_DELETED: 1005,
  VIDEO_PARAMETER_INVALID: 1006,
  USER_NOT_EXIST: 1007,
  VIDEO_UPLOAD_PRODUCT_IS_NOT_EXIST: 1008,
  VIDEO_UPLOAD_PRODUCT_LIST_OVER_LIMIT: 1009,
  MISSING_PARAMETERS: 1010,
} as const;

/** Token endpoint error codes (`BigGoAuthErrorEnum`, spec B2). */
export const AuthCode = {
  MISSING_PARAMETER: 1001,
  INVALID_PARAMETER: 1002,
  APP_KEY_NOT_EXIST: 1003,
  APP_KEY_NOT_MATCH: 1005,
  REFRESH_TOKEN_NOT_EXIST: 1010,
} as const;

/** HTTP statuses are undocumented; this is the spec's suggested mapping (B5). */
const API_STATUS: Record<number, number> = {
  1: 405,
  2: 401,
  3: 401,
  4: 401,
  1001: 422,
  1002: 409,
  1003: 403,
  1004: 404,
  1005: 404,
  1006: 400,
  1007: 404,
  1008: 400,
  1009: 400,
  1010: 400,
};

/** Fails with an API error code; the status follows {@link API_STATUS} unless given. */
export function apiFail(code: number, message: string, status = API_STATUS[code] ?? 400): never {
  fail(status, String(code), message);
}

/** A BigGo code for failures raised with a generic code (framework errors, faults without a code). */
export function codeForStatus(status: number): number {
  const byStatus: Record<number, number> = { 400: 1006, 401: 2, 403: 1003, 404: 1004, 405: 1, 409: 1002 };
  return byStatus[status] ?? (status === 413 ? 1006 : status);
}

const ACCESS_NAMES: Record<string, number> = { public: 0, private: 1, unlisted: 2 };

/** `access` as sent by Python (0/1/2) or by JS (`"public"`…); unknown values are 1006. */
export function accessOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.toLowerCase() in ACCESS_NAMES)
    return ACCESS_NAMES[value.toLowerCase()];
  if (typeof value === 'number' && [0, 1, 2].includes(value)) return value;
  apiFail(ApiCode.VIDEO_PARAMETER_INVALID, 'access must be 0, 1, 2 or public/private/unlisted');
}

/** Whether processing of `video` is done at the emulator's current time. */
export function isProcessed(ctx: BgCtx, video: BgVideo): boolean {
  return ctx.clock.now() >= video.uploadedAt + ctx.options.processingMs;
}

/** A fresh state: the two demo apps and users exist even without the demo seed. */
export function createBigGoState(): BgState {
  return {
    clients: {
      [BIGGO_DEMO_CLIENT.clientId]: { secret: BIGGO_DEMO_CLIENT.clientSecret, userid: 'u1000' },
      [BIGGO_OTHER_CLIENT.clientId]: { secret: BIGGO_OTHER_CLIENT.clientSecret, userid: 'u2000' },
    },
    users: {
      u1000: {
        userid: 'u1000',
        at_userid: 'ferrystudio',
        name: 'Ferry Studio',
        description: 'Clips from the ferry',
        region: 'tw',
      },
      u2000: { userid: 'u2000', at_userid: 'harbour', name: 'Harbour TV', description: '', region: 'tw' },
    },
    tokens: {},
    videos: {},
  };
}
