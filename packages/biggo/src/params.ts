/**
 * Checks of what callers send, before anything goes on the wire (`InvalidInputError` naming the field and
 * the rule).
 *
 * @module
 */
import { InvalidInputError } from '@mediaferry/core';
import { type AccessInput, type AccessValue, MAX_PRODUCTS, type VideoUpdateParams } from './models.js';

const ACCESS_BY_NAME: Readonly<Record<string, AccessValue>> = { public: 0, private: 1, unlisted: 2 };

/** `access` as its wire number: 0/1/2, or `public`/`private`/`unlisted` in either case. */
export function accessValue(access: AccessInput | undefined, field = 'access'): AccessValue | undefined {
  if (access === undefined) return undefined;
  const value: unknown = typeof access === 'string' ? ACCESS_BY_NAME[access.toLowerCase()] : access;
  if (value === 0 || value === 1 || value === 2) return value;
  throw new InvalidInputError(field, 'must be 0, 1, 2 or public, private, unlisted');
}

/** A non-empty id (video, user). */
export function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInputError(field, 'is required');
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value !== undefined && typeof value !== 'string')
    throw new InvalidInputError(field, 'must be a string');
  return value;
}

/**
 * The JSON body of an update: only the fields given (an unset field is left out, not sent as `null` like
 * biggo_api does), `access` as a number, `thumbnail_time` by its wire name.
 */
export function updateBody(params: VideoUpdateParams): Record<string, unknown> {
  if (typeof params !== 'object' || params === null)
    throw new InvalidInputError('params', 'must be an object');
  requireId(params.videoId, 'videoId');
  const body: Record<string, unknown> = {};
  const access = accessValue(params.access);
  if (access !== undefined) body.access = access;
  const description = optionalText(params.description, 'description');
  if (description !== undefined) body.description = description;
  if (params.productList !== undefined) {
    if (!Array.isArray(params.productList)) throw new InvalidInputError('productList', 'must be a list');
    if (params.productList.length > MAX_PRODUCTS)
      throw new InvalidInputError('productList', `at most ${MAX_PRODUCTS} products (BigGo code 1009)`);
    body.product_list = params.productList.map((p, i) => {
      if (typeof p?.nindex !== 'string' || !p.nindex || typeof p.oid !== 'string' || !p.oid)
        throw new InvalidInputError(`productList[${i}]`, 'needs a non-empty nindex and oid');
      // A copy: the JS client's habit of editing the caller's array is not reproduced.
      return { nindex: p.nindex, oid: p.oid };
    });
  }
  if (params.thumbnailTime !== undefined) {
    if (!Number.isSafeInteger(params.thumbnailTime) || params.thumbnailTime < 0)
      throw new InvalidInputError('thumbnailTime', 'must be whole milliseconds ≥ 0');
    body.thumbnail_time = params.thumbnailTime;
  }
  const title = optionalText(params.title, 'title');
  if (title !== undefined) body.title = title;
  return body;
}

/** The body of a full update (POST): `access`, `description` and `title` must all be given (seed rule). */
export function fullUpdateBody(params: VideoUpdateParams): Record<string, unknown> {
  const body = updateBody(params);
  for (const field of ['access', 'description', 'title'] as const)
    if (body[field] === undefined)
      throw new InvalidInputError(field, 'is required for update (use partialUpdate to change some fields)');
  return body;
}

/** The body of a partial update (PATCH): at least one field. */
export function partialUpdateBody(params: VideoUpdateParams): Record<string, unknown> {
  const body = updateBody(params);
  if (Object.keys(body).length === 0)
    throw new InvalidInputError(
      'params',
      'give at least one of access, description, productList, thumbnailTime, title',
    );
  return body;
}

/** A 1-based page number. */
export function pageNumber(page: unknown, field = 'page'): number {
  if (typeof page !== 'number' || !Number.isSafeInteger(page) || page < 1)
    throw new InvalidInputError(field, 'must be an integer ≥ 1 (pages are 1-based)');
  return page;
}

/** A whole number ≥ 1 (page sizes, intervals). */
export function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new InvalidInputError(field, 'must be a whole number ≥ 1');
  return value;
}
