/**
 * `@mediaferry/gopro/gopro-api`: gopro_api's surface (camelCased, async, typed) on the new client, for code
 * ported from the Python library. Every call is async in Node, so `GoProClient` and `GoProAPI` are aliases
 * of `AsyncGoProClient` and `AsyncGoProAPI`. New code should use `@mediaferry/gopro`.
 *
 * @packageDocumentation
 */
import { ResponseValidationError } from '@mediaferry/core';
import { GoProError } from '../../errors.js';

export { getFileName, isVideoFilename } from '../../assets.js';
export { NoVariationsError } from '../../errors.js';
export { DEFAULT_FIELDS, DEFAULT_MEDIA_TYPES, DEFAULT_PROCESSING_STATES } from '../../models.js';
export { AsyncGoProAPI, GoProAPI } from './api.js';
export { AsyncGoProClient, GoProClient, type GoProClientKeywords } from './client.js';
export {
  type CapturedRange,
  type DownloadAsset,
  type GoProMediaDownloadEmbedded,
  type GoProMediaDownloadFile,
  type GoProMediaDownloadResponse,
  type GoProMediaDownloadSidecarFile,
  type GoProMediaDownloadVariation,
  type GoProMediaSearchEmbedded,
  type GoProMediaSearchItem,
  type GoProMediaSearchPages,
  type GoProMediaSearchParams,
  type GoProMediaSearchResponse,
  pullAssetsForResponse,
  selectVideoVariation,
  writeBytes,
} from './models.js';
export { RuntimeError, type TransportOptions } from './session.js';

/** What the async seed raises for an error status (`aiohttp.ClientResponseError`): here a `GoProError`. */
export const ClientResponseError = GoProError;
/** What the async seed raises for an error status (`aiohttp.ClientResponseError`): here a `GoProError`. */
export type ClientResponseError = GoProError;
/** What the sync seed raises for an error status (`requests.HTTPError`): here a `GoProError`. */
export const HTTPError = GoProError;
/** What the sync seed raises for an error status (`requests.HTTPError`): here a `GoProError`. */
export type HTTPError = GoProError;
/** What the seed raises for a body that does not match its model (`pydantic.ValidationError`). */
export const ValidationError = ResponseValidationError;
/** What the seed raises for a body that does not match its model (`pydantic.ValidationError`). */
export type ValidationError = ResponseValidationError;
