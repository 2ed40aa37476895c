/**
 * Server-side encryption as B2 exposes it (spec §3.3.3, §3.3.6, §3.3.7): SSE-B2 (bucket default or per file,
 * `X-Bz-Server-Side-Encryption: AES256`) and SSE-C (the customer's AES-256 key in
 * `X-Bz-Server-Side-Encryption-Customer-*` headers, or `customerKey`/`customerKeyMd5` in JSON). The emulator
 * keeps only what B2 reveals of an SSE-C key, its MD5; every request that reads an SSE-C file must bring the key.
 */
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import type { B2Bucket, B2Encryption, B2FileVersion } from './model.js';

export const NO_SSE: B2Encryption = { algorithm: null, mode: null };
const SSE_B2: B2Encryption = { algorithm: 'AES256', mode: 'SSE-B2' };
const SSE_C: B2Encryption = { algorithm: 'AES256', mode: 'SSE-C' };

const SSE_HEADER = 'x-bz-server-side-encryption';
const CUSTOMER_ALGORITHM = 'x-bz-server-side-encryption-customer-algorithm';
const CUSTOMER_KEY = 'x-bz-server-side-encryption-customer-key';
const CUSTOMER_KEY_MD5 = 'x-bz-server-side-encryption-customer-key-md5';

/** The encryption a write asks for; SSE-C carries the (checked) MD5 of its customer key. */
export interface RequestedEncryption {
  readonly serverSideEncryption: B2Encryption;
  readonly customerKeyMd5: string | null;
}

/** Checks an SSE-C key: algorithm AES256, a base64 key of 32 bytes, and the base64 MD5 of exactly that key. */
function checkedKeyMd5(algorithm: unknown, key: unknown, md5: unknown, where: string): string {
  if (algorithm !== 'AES256') fail(400, 'bad_request', `${where}: the SSE-C algorithm must be AES256`);
  if (typeof key !== 'string' || typeof md5 !== 'string')
    fail(400, 'bad_request', `${where}: SSE-C needs the customer key and its MD5`);
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length !== 32 || bytes.toString('base64') !== key)
    fail(400, 'bad_request', `${where}: the SSE-C customer key must be 32 bytes in base64`);
  const actual = createHash('md5').update(bytes).digest('base64');
  if (actual !== md5)
    fail(400, 'bad_request', `${where}: the customer key MD5 does not match the customer key`);
  return actual;
}

/** The MD5 of the SSE-C key a request's headers carry (checked), or undefined when it carries none. */
export function customerKeyFromHeaders(c: EmulatorContext): string | undefined {
  const algorithm = c.req.header(CUSTOMER_ALGORITHM);
  const key = c.req.header(CUSTOMER_KEY);
  const md5 = c.req.header(CUSTOMER_KEY_MD5);
  if (algorithm === undefined && key === undefined && md5 === undefined) return undefined;
  return checkedKeyMd5(algorithm, key, md5, 'X-Bz-Server-Side-Encryption-Customer-*');
}

/** What an upload's headers ask for: SSE-B2, SSE-C, or nothing (the bucket default then applies). */
export function encryptionFromHeaders(c: EmulatorContext): RequestedEncryption | undefined {
  const sse = c.req.header(SSE_HEADER);
  const keyMd5 = customerKeyFromHeaders(c);
  if (sse !== undefined && keyMd5 !== undefined)
    fail(400, 'bad_request', 'X-Bz-Server-Side-Encryption cannot be combined with the SSE-C headers');
  if (keyMd5 !== undefined) return { serverSideEncryption: SSE_C, customerKeyMd5: keyMd5 };
  if (sse === undefined) return undefined;
  if (sse !== 'AES256') fail(400, 'bad_request', `X-Bz-Server-Side-Encryption must be AES256, not ${sse}`);
  return { serverSideEncryption: SSE_B2, customerKeyMd5: null };
}

/**
 * What a JSON encryption field asks for (`serverSideEncryption`, `destinationServerSideEncryption`,
 * `sourceServerSideEncryption`): `{mode: "SSE-B2", algorithm}`, `{mode: "SSE-C", algorithm, customerKey,
 * customerKeyMd5}`, or none (`null`, `{mode: null}`, b2sdk's `{mode: "none"}`).
 */
export function encryptionFromJson(value: unknown, field: string): RequestedEncryption | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    fail(400, 'bad_request', `${field} must be an object`);
  const setting = value as Record<string, unknown>;
  switch (setting.mode ?? null) {
    case null:
    case 'none':
      return undefined;
    case 'SSE-B2':
      if (setting.algorithm !== 'AES256') fail(400, 'bad_request', `${field}: SSE-B2 needs algorithm AES256`);
      return { serverSideEncryption: SSE_B2, customerKeyMd5: null };
    case 'SSE-C':
      return {
        serverSideEncryption: SSE_C,
        customerKeyMd5: checkedKeyMd5(setting.algorithm, setting.customerKey, setting.customerKeyMd5, field),
      };
    default:
      fail(400, 'bad_request', `${field}.mode must be SSE-B2, SSE-C or null`);
  }
}

/** A bucket's default encryption: SSE-B2 or none (SSE-C needs a key per request, so it cannot be a default). */
export function bucketDefaultEncryption(value: unknown): B2Encryption {
  const requested = encryptionFromJson(value, 'defaultServerSideEncryption');
  if (requested?.serverSideEncryption.mode === 'SSE-C')
    fail(400, 'bad_request', 'SSE-C cannot be a bucket default encryption');
  return requested?.serverSideEncryption ?? NO_SSE;
}

/** The encryption a new version gets: what the request asked for, else the bucket's default. */
export function encryptionFor(
  bucket: B2Bucket,
  requested: RequestedEncryption | undefined,
): RequestedEncryption {
  return requested ?? { serverSideEncryption: bucket.defaultServerSideEncryption, customerKeyMd5: null };
}

/**
 * An SSE-C file is read (downloaded, copied, added to) only with its own key: without one B2 answers 400 (it
 * refuses even a HEAD), with another key 403 `access_denied`, which b2sdk reports as `SSECKeyError`. Sending
 * a key for a file that is not SSE-C encrypted is a 400 too.
 */
export function checkCustomerKey(
  file: Pick<B2FileVersion, 'serverSideEncryption' | 'customerKeyMd5' | 'fileName'>,
  keyMd5: string | undefined,
): void {
  if (file.serverSideEncryption.mode !== 'SSE-C') {
    if (keyMd5 !== undefined)
      fail(400, 'bad_request', `${file.fileName} is not encrypted with SSE-C: do not send a customer key`);
    return;
  }
  if (keyMd5 === undefined)
    fail(
      400,
      'bad_request',
      `${file.fileName} is encrypted with SSE-C: the request must carry its customer key`,
    );
  if (keyMd5 !== file.customerKeyMd5)
    fail(403, 'access_denied', `the customer key does not match the key ${file.fileName} was encrypted with`);
}

/** The download headers of a file's encryption (B2's `b2_download_file_by_id` documentation). */
export function encryptionHeaders(file: B2FileVersion): Record<string, string> {
  if (file.serverSideEncryption.mode === 'SSE-B2') return { [SSE_HEADER]: 'AES256' };
  if (file.serverSideEncryption.mode === 'SSE-C')
    return { [CUSTOMER_ALGORITHM]: 'AES256', [CUSTOMER_KEY_MD5]: file.customerKeyMd5 ?? '' };
  return {};
}
