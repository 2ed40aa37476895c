/**
 * A show upload as a `Transfer`: checked before any byte is sent, then one multipart POST whose mp3 streams
 * from its source (memory does not grow with the file), with progress over the whole body.
 *
 * @module
 */
import {
  type CallOptions,
  InvalidInputError,
  type MultipartBody,
  multipartBody,
  type ProgressListener,
  type RequestOptions,
  Transfer,
  type TransferOptions,
} from '@mediaferry/core';
import { callOptions, type MixcloudContext, requireToken } from '../http.js';
import { type CloudcastRef, cloudcastPath } from '../keys.js';
import { type ActionResult, actionAnswerSchema } from '../models.js';
import {
  type FileInput,
  fileNameOf,
  MP3_MAX_SIZE,
  openFile,
  type ShowFields,
  showParts,
} from '../show-fields.js';

/** A new show. */
export interface UploadParams extends ShowFields {
  /** The audio: **a string is a path**; or bytes, a `Blob`, `fromPath(…)`, a stream factory or a stream. */
  readonly mp3: FileInput;
  /** The show's title. */
  readonly name: string;
  /** The mp3's file name as Mixcloud sees it. Default: the path's base name, else `upload.mp3`. */
  readonly filename?: string | undefined;
  /** Called with `{ loaded, total }` of the request body, like `on('progress', …)`. */
  readonly onProgress?: ProgressListener | undefined;
}

/** The checked multipart body of an upload (files opened, sizes known); bad input is an `InvalidInputError`. */
export async function uploadBody(params: UploadParams): Promise<MultipartBody> {
  const { mp3, name, filename, onProgress: _listener, ...fields } = params;
  if (typeof name !== 'string' || name.trim() === '') throw new InvalidInputError('name', 'is required');
  const audio = await openFile(mp3, 'mp3', MP3_MAX_SIZE);
  const rest = await showParts(fields);
  return multipartBody([
    { name: 'name', value: name },
    {
      name: 'mp3',
      filename: filename ?? fileNameOf(mp3, 'upload.mp3'),
      contentType: 'audio/mpeg',
      source: audio,
    },
    ...rest,
  ]);
}

/** The request that sends an upload body. */
export function uploadRequest(body: MultipartBody, options: TransferOptions = {}): RequestOptions {
  return {
    ...callOptions(options),
    transferTimeout: options.transferTimeout,
    method: 'POST',
    path: '/upload/',
    endpoint: 'upload',
    body: { source: body, contentType: body.contentType },
  };
}

/** What an edit changes; anything left out stays as it is. */
export interface EditParams extends ShowFields {
  /** The show to edit. */
  readonly cloudcast: CloudcastRef;
  /** The new title. */
  readonly name?: string | undefined;
  /** Makes a private show or a draft public. */
  readonly publish?: boolean | undefined;
  /** Moves the show to the drafts. */
  readonly unpublish?: boolean | undefined;
}

/** The checked request of an edit (`/upload/<user>/<slug>/edit/`); the token is checked by the caller. */
export async function editRequest(params: EditParams, options: CallOptions = {}): Promise<RequestOptions> {
  const { cloudcast, name, publish, unpublish, ...fields } = params;
  const path = cloudcastPath(cloudcast, 'cloudcast');
  const chosen = (['unlisted', 'publish', 'unpublish'] as const).filter((flag) => params[flag]);
  if (chosen.length > 1)
    throw new InvalidInputError(chosen.join(', '), 'only one of unlisted, publish, unpublish per edit');
  if (name !== undefined && (typeof name !== 'string' || name.trim() === ''))
    throw new InvalidInputError('name', 'must be a non-empty string');
  const parts = await showParts(fields);
  return {
    ...callOptions(options),
    method: 'POST',
    path: `/upload${path}edit/`,
    endpoint: 'edit',
    body: {
      multipart: [
        ...(name === undefined ? [] : [{ name: 'name', value: name }]),
        ...parts,
        ...(publish ? [{ name: 'publish', value: '1' }] : []),
        ...(unpublish ? [{ name: 'unpublish', value: '1' }] : []),
      ],
    },
  };
}

/** Starts an upload; its `done()` resolves with the new show's key, or rejects with a typed error. */
export function uploadShow(
  context: MixcloudContext,
  params: UploadParams,
  options: TransferOptions = {},
): Transfer<ActionResult> {
  return new Transfer(
    async ({ signal, progress }) => {
      const body = await uploadBody(params);
      requireToken(context, 'cloudcasts.upload');
      progress.setTotal(body.size);
      return context.http.request({
        ...uploadRequest(body, options),
        signal,
        schema: actionAnswerSchema,
        onUploadProgress: ({ loaded }) => progress.report(loaded),
      });
    },
    { signal: context.http.lifetimeSignal(options.signal), onProgress: params?.onProgress },
  );
}
