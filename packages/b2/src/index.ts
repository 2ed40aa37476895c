/**
 * `@mediaferry/b2`: the Backblaze B2 native API (aiob2 parity, and beyond).
 *
 * @packageDocumentation
 */
export type { B2Token } from './auth.js';
export {
  B2_REALM,
  B2Client,
  type B2ClientOptions,
  type ListFilesOptions,
} from './client.js';
export type { DownloadedFile, DownloadOptions, FileRef, SaveFileOptions } from './downloads.js';
export {
  B2Error,
  BadBucketIdError,
  CapExceededError,
  DuplicateBucketNameError,
  FileNotPresentError,
  UnauthorizedError,
} from './errors.js';
export { LargeFile } from './large-file.js';
export * from './models.js';
export { checkBucketName, checkFileName, decodeB2Name, encodeB2Name } from './names.js';
export { UPLOAD_ATTEMPTS, type UploadOptions } from './uploads.js';
