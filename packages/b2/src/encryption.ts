/**
 * Server-side encryption as a caller asks for it (spec §3.3.3, §3.3.6, §3.3.7): SSE-B2 (B2 holds the key) or
 * SSE-C (the caller's own AES-256 key, sent with every request that writes or reads the file). Checked before
 * any request; encoded here for JSON bodies and for headers.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { InvalidInputError } from '@mediaferry/core';

/** The caller's own AES-256 key: 32 bytes. B2 keeps only its MD5; lose it and the file cannot be read. */
export interface CustomerKey {
  readonly mode: 'SSE-C';
  /** Exactly 32 bytes. */
  readonly customerKey: Uint8Array;
}

/** How a new file (or large file, or copy) is encrypted at rest. */
export type ServerSideEncryption = { readonly mode: 'SSE-B2' } | CustomerKey;

/** A bucket's default for new files: SSE-B2, or none (`mode: null`). SSE-C cannot be a default. */
export type BucketEncryption = { readonly mode: 'SSE-B2' } | { readonly mode: null };

const ALGORITHM = 'AES256';

/** Checks a per-file encryption setting. */
export function checkEncryption(value: ServerSideEncryption | undefined, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null)
    throw new InvalidInputError(field, 'must be { mode: "SSE-B2" } or { mode: "SSE-C", customerKey }');
  if (value.mode === 'SSE-B2') return;
  if (value.mode !== 'SSE-C') throw new InvalidInputError(`${field}.mode`, 'must be "SSE-B2" or "SSE-C"');
  checkCustomerKey(value, field);
}

/** Checks an SSE-C key (for reads and copies of an SSE-C file). */
export function checkCustomerKey(value: CustomerKey | undefined, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || value.mode !== 'SSE-C')
    throw new InvalidInputError(field, 'must be { mode: "SSE-C", customerKey }');
  if (!(value.customerKey instanceof Uint8Array) || value.customerKey.byteLength !== 32)
    throw new InvalidInputError(`${field}.customerKey`, 'must be 32 bytes (an AES-256 key)');
}

export function checkBucketEncryption(value: BucketEncryption | undefined, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || (value.mode !== 'SSE-B2' && value.mode !== null))
    throw new InvalidInputError(
      field,
      'must be { mode: "SSE-B2" } or { mode: null } (SSE-C cannot be a default)',
    );
}

function keyParts(key: CustomerKey): { customerKey: string; customerKeyMd5: string } {
  const bytes = Buffer.from(key.customerKey.buffer, key.customerKey.byteOffset, key.customerKey.byteLength);
  return {
    customerKey: bytes.toString('base64'),
    customerKeyMd5: createHash('md5').update(bytes).digest('base64'),
  };
}

/** The base64 form of an SSE-C key: registered as a secret so it never reaches a log or an error. */
export function customerKeySecret(
  value: ServerSideEncryption | BucketEncryption | undefined,
): string | undefined {
  return value?.mode === 'SSE-C' ? keyParts(value).customerKey : undefined;
}

/** The JSON form (`serverSideEncryption`, `destinationServerSideEncryption`, `sourceServerSideEncryption`). */
export function encryptionJson(
  value: ServerSideEncryption | BucketEncryption | undefined,
): Record<string, string | null> | undefined {
  if (value === undefined) return undefined;
  if (value.mode === null) return { mode: null, algorithm: null };
  if (value.mode === 'SSE-B2') return { mode: 'SSE-B2', algorithm: ALGORITHM };
  return { mode: 'SSE-C', algorithm: ALGORITHM, ...keyParts(value) };
}

/** Headers of an upload (SSE-B2 or SSE-C). */
export function encryptionHeaders(value: ServerSideEncryption | undefined): Record<string, string> {
  if (value === undefined) return {};
  if (value.mode === 'SSE-B2') return { 'x-bz-server-side-encryption': ALGORITHM };
  return customerKeyHeaders(value);
}

/** Headers that carry an SSE-C key: a part upload, a download, a HEAD of an SSE-C file. */
export function customerKeyHeaders(value: CustomerKey | undefined): Record<string, string> {
  if (value === undefined) return {};
  const { customerKey, customerKeyMd5 } = keyParts(value);
  return {
    'x-bz-server-side-encryption-customer-algorithm': ALGORITHM,
    'x-bz-server-side-encryption-customer-key': customerKey,
    'x-bz-server-side-encryption-customer-key-md5': customerKeyMd5,
  };
}
