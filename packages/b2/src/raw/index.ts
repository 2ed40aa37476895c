/**
 * B2's native API, one typed function per endpoint: the wire, nothing more. Each checks its parameters
 * before any request, speaks to the URLs authorization gave (`apiUrl`, `downloadUrl`, or the upload URL it
 * is handed) and returns an `APIPromise` of the validated answer. Retries follow B2's rules (the client's
 * profile); fresh upload URLs, parts and resumes are the transfer manager's business, not this module's.
 *
 * @module
 */
import { APIPromise, type CallOptions, InvalidInputError, type StreamResponse } from '@mediaferry/core';
import type { z } from 'zod';
import { checkId, checkRange, rangeText } from '../checks.js';
import { checkCustomerKey, customerKeyHeaders, encryptionHeaders } from '../encryption.js';
import { lockHeaders } from '../file-lock.js';
import {
  type Authorization,
  type FileVersion,
  fileVersionSchema,
  type Part,
  partSchema,
  type UploadUrl,
  uploadUrlSchema,
} from '../models.js';
import { checkFileInfo, checkFileName, checkPartNumber, encodeB2Name } from '../names.js';
import { callLimits, defined, type RawOptions } from './call.js';
import { RawFilesApi } from './files.js';
import type * as P from './params.js';

export type { RawContext, RawOptions } from './call.js';
export type * from './params.js';

interface UploadRequest {
  readonly uploadUrl: string;
  readonly authorizationToken: string;
  readonly contentSha1: string;
  readonly body: P.UploadFileParams['body'];
  readonly contentLength: number;
  readonly onProgress?: P.UploadFileParams['onProgress'];
}

/** The raw API: every native endpoint as one typed function (`b2.raw.listBuckets(…)`). */
export class B2Raw extends RawFilesApi {
  /** An upload URL and its own token for one upload at a time into a bucket (valid 24 h). */
  getUploadUrl(params: { readonly bucketId: string }, options: CallOptions = {}): APIPromise<UploadUrl> {
    const check = () => checkId(params.bucketId, 'bucketId');
    return this.json('b2_get_upload_url', { bucketId: params.bucketId }, uploadUrlSchema, options, check);
  }

  /** A part upload URL and its own token for one part at a time of a large file. */
  getUploadPartUrl(params: { readonly fileId: string }, options: CallOptions = {}): APIPromise<UploadUrl> {
    const check = () => checkId(params.fileId, 'fileId');
    return this.json('b2_get_upload_part_url', { fileId: params.fileId }, uploadUrlSchema, options, check);
  }

  /** One `b2_upload_file` POST to the URL given, with its token; never retried here (a retry needs a new URL). */
  uploadFile(params: P.UploadFileParams, options: RawOptions = {}): APIPromise<FileVersion> {
    const check = () => {
      checkFileName(params.fileName);
      checkFileInfo(params.fileInfo, 'fileInfo');
      this.checkNewFile(params);
    };
    const headers = () => {
      const out: Record<string, string> = {
        'x-bz-file-name': encodeB2Name(params.fileName),
        'content-type': params.contentType ?? 'b2/x-auto',
        ...encryptionHeaders(params.serverSideEncryption),
        ...lockHeaders(params.fileRetention, params.legalHold),
      };
      for (const [key, value] of Object.entries(params.fileInfo ?? {}))
        out[`x-bz-info-${key}`] = encodeB2Name(value);
      return out;
    };
    return this.#upload('b2_upload_file', params, fileVersionSchema, options, check, headers);
  }

  /** One `b2_upload_part` POST to the part URL given; never retried here. */
  uploadPart(params: P.RawUploadPartParams, options: RawOptions = {}): APIPromise<Part> {
    const check = () => {
      checkPartNumber(params.partNumber);
      checkCustomerKey(params.serverSideEncryption, 'serverSideEncryption');
      this.keepSecret(params.serverSideEncryption);
    };
    const headers = () => ({
      'x-bz-part-number': String(params.partNumber),
      ...customerKeyHeaders(params.serverSideEncryption),
    });
    return this.#upload('b2_upload_part', params, partSchema, options, check, headers);
  }

  #upload<T>(
    endpoint: string,
    request: UploadRequest,
    schema: z.ZodType<T>,
    options: RawOptions,
    check: () => void,
    headers: () => Record<string, string>,
  ): APIPromise<T> {
    return new APIPromise(
      (async () => {
        check();
        checkId(request.uploadUrl, 'uploadUrl');
        checkId(request.authorizationToken, 'authorizationToken');
        if (!Number.isSafeInteger(request.contentLength) || request.contentLength < 0)
          throw new InvalidInputError('contentLength', 'must be a whole number ≥ 0');
        return this.context.http
          .call({
            ...callLimits(options),
            maxRetries: 0,
            // The upload URL's own token, not the account's.
            auth: false,
            method: 'POST',
            path: request.uploadUrl,
            endpoint,
            headers: {
              ...options.headers,
              ...headers(),
              authorization: request.authorizationToken,
              'x-bz-content-sha1': request.contentSha1,
            },
            body: { source: request.body, size: request.contentLength },
            schema,
            onUploadProgress: request.onProgress,
          })
          .withResponse();
      })(),
    );
  }

  /** `b2_download_file_by_id`: the response, its body a guarded stream (or headers only, with `HEAD`). */
  downloadFileById(
    params: { readonly fileId: string } & P.RawDownloadParams,
    options: RawOptions = {},
  ): APIPromise<StreamResponse> {
    const target = (session: Authorization) => ({
      path: `${session.downloadUrl}/b2api/${this.context.apiVersion}/b2_download_file_by_id`,
      query: { fileId: params.fileId },
      endpoint: 'b2_download_file_by_id',
    });
    return this.#download(params, target, () => checkId(params.fileId, 'fileId'), options);
  }

  /** `GET {downloadUrl}/file/<bucket>/<name>`: the newest version of a name. */
  downloadFileByName(
    params: { readonly bucketName: string; readonly fileName: string } & P.RawDownloadParams,
    options: RawOptions = {},
  ): APIPromise<StreamResponse> {
    const target = (session: Authorization) => ({
      path: `${session.downloadUrl}/file/${encodeURIComponent(params.bucketName)}/${encodeB2Name(params.fileName)}`,
      query: {},
      endpoint: 'download_file_by_name',
    });
    const check = () => {
      checkId(params.bucketName, 'bucketName');
      checkFileName(params.fileName);
    };
    return this.#download(params, target, check, options);
  }

  #download(
    params: P.RawDownloadParams,
    target: (session: Authorization) => { path: string; query: Record<string, string>; endpoint: string },
    check: () => void,
    options: RawOptions,
  ): APIPromise<StreamResponse> {
    const { range, ifRange, serverSideEncryption, method = 'GET', onProgress, ...rest } = params;
    const overrides = defined({
      b2ContentDisposition: rest.b2ContentDisposition,
      b2ContentLanguage: rest.b2ContentLanguage,
      b2Expires: rest.b2Expires,
      b2CacheControl: rest.b2CacheControl,
      b2ContentEncoding: rest.b2ContentEncoding,
      b2ContentType: rest.b2ContentType,
    });
    const checkAll = () => {
      check();
      checkRange(range);
      checkCustomerKey(serverSideEncryption, 'serverSideEncryption');
      if (method !== 'GET' && method !== 'HEAD') throw new InvalidInputError('method', 'must be GET or HEAD');
      for (const [name, value] of Object.entries(overrides))
        if (typeof value !== 'string') throw new InvalidInputError(name, 'must be a string');
      this.keepSecret(serverSideEncryption);
    };
    return this.send(
      checkAll,
      async (session) => {
        const { path, query, endpoint } = target(session);
        const response = await this.context.http.stream({
          ...callLimits(options),
          method,
          path,
          query: { ...query, ...(overrides as Record<string, string>) },
          endpoint,
          credentials: 'required',
          headers: {
            ...options.headers,
            ...customerKeyHeaders(serverSideEncryption),
            ...(range ? { range: rangeText(range), ...(ifRange ? { 'if-range': ifRange } : {}) } : {}),
          },
          okStatus: (status) => status === 200 || status === 206,
          onDownloadProgress: onProgress,
        });
        if (method === 'HEAD') await response.body.cancel();
        const { status, headers, url, requestId } = response;
        return { data: response, response: { status, headers, url }, requestId };
      },
      options.signal,
    );
  }
}
