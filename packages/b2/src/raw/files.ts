/**
 * The raw file endpoints: listings, file info, hide, delete, Object Lock updates, download authorization,
 * large files and server-side copies.
 *
 * @module
 */
import { type APIPromise, type CallOptions, InvalidInputError } from '@mediaferry/core';
import { checkDuration, checkId, checkPageSize, checkRange, rangeText } from '../checks.js';
import { checkCustomerKey, checkEncryption, encryptionJson } from '../encryption.js';
import { checkLegalHold, checkRetention, retentionJson } from '../file-lock.js';
import {
  type CancelledLargeFile,
  cancelledFileSchema,
  type DeletedFile,
  type DownloadAuthorization,
  deletedFileSchema,
  downloadAuthorizationSchema,
  type FileListPage,
  type FileVersion,
  fileVersionSchema,
  type LegalHoldResult,
  legalHoldResultSchema,
  listFilesSchema,
  listPartsSchema,
  type Part,
  type PartListPage,
  partSchema,
  type RetentionResult,
  retentionResultSchema,
} from '../models.js';
import { checkFileInfo, checkFileName, checkPartNumber } from '../names.js';
import { RawAccountApi } from './account.js';
import type * as P from './params.js';

function checkListing(params: P.ListFileNamesParams): void {
  checkId(params.bucketId, 'bucketId');
  checkPageSize(params.maxFileCount, 10_000, 'maxFileCount');
  for (const field of ['prefix', 'delimiter', 'startFileName'] as const)
    if (params[field] !== undefined && typeof params[field] !== 'string')
      throw new InvalidInputError(field, 'must be a string');
}

function checkVersion(params: { readonly fileId: string; readonly fileName: string }): void {
  checkId(params.fileId, 'fileId');
  checkFileName(params.fileName);
}

/** File endpoints of the raw API. */
export abstract class RawFilesApi extends RawAccountApi {
  /** Checks the settings of a new file version and keeps its SSE-C key secret. */
  protected checkNewFile(params: P.NewFileSettings): void {
    checkEncryption(params.serverSideEncryption, 'serverSideEncryption');
    checkRetention(params.fileRetention, 'fileRetention', false);
    checkLegalHold(params.legalHold);
    this.keepSecret(params.serverSideEncryption);
  }

  /** `b2_list_file_names`: one page of current names. */
  listFileNames(params: P.ListFileNamesParams, options: CallOptions = {}): APIPromise<FileListPage> {
    const check = () => checkListing(params);
    return this.json('b2_list_file_names', { ...params }, listFilesSchema, options, check);
  }

  /** `b2_list_file_versions`: one page of versions. */
  listFileVersions(params: P.ListFileVersionsParams, options: CallOptions = {}): APIPromise<FileListPage> {
    const check = () => {
      checkListing(params);
      if (params.startFileId !== undefined && params.startFileName === undefined)
        throw new InvalidInputError('startFileId', 'requires startFileName');
    };
    return this.json('b2_list_file_versions', { ...params }, listFilesSchema, options, check);
  }

  /** `b2_get_file_info`. */
  getFileInfo(params: { readonly fileId: string }, options: CallOptions = {}): APIPromise<FileVersion> {
    const check = () => checkId(params.fileId, 'fileId');
    return this.json('b2_get_file_info', { fileId: params.fileId }, fileVersionSchema, options, check);
  }

  /** `b2_hide_file`. */
  hideFile(
    params: { readonly bucketId: string; readonly fileName: string },
    options: CallOptions = {},
  ): APIPromise<FileVersion> {
    const check = () => {
      checkId(params.bucketId, 'bucketId');
      checkFileName(params.fileName);
    };
    return this.json('b2_hide_file', { ...params }, fileVersionSchema, options, check);
  }

  /** `b2_delete_file_version`. */
  deleteFileVersion(params: P.DeleteFileVersionParams, options: CallOptions = {}): APIPromise<DeletedFile> {
    const check = () => checkVersion(params);
    return this.json('b2_delete_file_version', { ...params }, deletedFileSchema, options, check);
  }

  /** `b2_update_file_retention`. */
  updateFileRetention(
    params: P.UpdateFileRetentionParams,
    options: CallOptions = {},
  ): APIPromise<RetentionResult> {
    const body = () => ({ ...params, fileRetention: retentionJson(params.fileRetention) });
    const check = () => {
      checkVersion(params);
      if (params.fileRetention === undefined) throw new InvalidInputError('fileRetention', 'is required');
      checkRetention(params.fileRetention, 'fileRetention', true);
    };
    return this.json('b2_update_file_retention', body, retentionResultSchema, options, check);
  }

  /** `b2_update_file_legal_hold`. */
  updateFileLegalHold(
    params: P.UpdateFileLegalHoldParams,
    options: CallOptions = {},
  ): APIPromise<LegalHoldResult> {
    const check = () => {
      checkVersion(params);
      if (params.legalHold === undefined) throw new InvalidInputError('legalHold', 'is required');
      checkLegalHold(params.legalHold);
    };
    return this.json('b2_update_file_legal_hold', { ...params }, legalHoldResultSchema, options, check);
  }

  /** `b2_get_download_authorization`. */
  getDownloadAuthorization(
    params: P.GetDownloadAuthorizationParams,
    options: CallOptions = {},
  ): APIPromise<DownloadAuthorization> {
    const check = () => {
      checkId(params.bucketId, 'bucketId');
      if (typeof params.fileNamePrefix !== 'string')
        throw new InvalidInputError('fileNamePrefix', 'must be a string');
      if (params.validDurationInSeconds === undefined)
        throw new InvalidInputError('validDurationInSeconds', 'is required (1-604800)');
      checkDuration(params.validDurationInSeconds, 'validDurationInSeconds', 604_800);
    };
    const schema = downloadAuthorizationSchema;
    return this.json('b2_get_download_authorization', { ...params }, schema, options, check);
  }

  /** `b2_start_large_file`. */
  startLargeFile(params: P.StartLargeFileParams, options: CallOptions = {}): APIPromise<FileVersion> {
    const { serverSideEncryption, fileRetention, ...rest } = params;
    const body = () => ({
      ...rest,
      contentType: params.contentType ?? 'b2/x-auto',
      serverSideEncryption: encryptionJson(serverSideEncryption),
      fileRetention: retentionJson(fileRetention),
    });
    const check = () => {
      checkId(params.bucketId, 'bucketId');
      checkFileName(params.fileName);
      checkFileInfo(params.fileInfo, 'fileInfo');
      this.checkNewFile(params);
    };
    return this.json('b2_start_large_file', body, fileVersionSchema, options, check);
  }

  /** `b2_finish_large_file`. */
  finishLargeFile(
    params: { readonly fileId: string; readonly partSha1Array: readonly string[] },
    options: CallOptions = {},
  ): APIPromise<FileVersion> {
    const check = () => {
      checkId(params.fileId, 'fileId');
      if (!Array.isArray(params.partSha1Array) || params.partSha1Array.some((s) => !/^[0-9a-f]{40}$/.test(s)))
        throw new InvalidInputError('partSha1Array', 'must be a list of SHA-1s (40 hex digits each)');
    };
    return this.json('b2_finish_large_file', { ...params }, fileVersionSchema, options, check);
  }

  /** `b2_cancel_large_file`. */
  cancelLargeFile(
    params: { readonly fileId: string },
    options: CallOptions = {},
  ): APIPromise<CancelledLargeFile> {
    const check = () => checkId(params.fileId, 'fileId');
    return this.json('b2_cancel_large_file', { fileId: params.fileId }, cancelledFileSchema, options, check);
  }

  /** `b2_list_parts`: one page. */
  listParts(params: P.ListPartsParams, options: CallOptions = {}): APIPromise<PartListPage> {
    const check = () => {
      checkId(params.fileId, 'fileId');
      checkPageSize(params.maxPartCount, 1000, 'maxPartCount');
      if (params.startPartNumber !== undefined) checkPartNumber(params.startPartNumber, 'startPartNumber');
    };
    return this.json('b2_list_parts', { ...params }, listPartsSchema, options, check);
  }

  /** `b2_list_unfinished_large_files`: one page. */
  listUnfinishedLargeFiles(
    params: P.ListUnfinishedLargeFilesParams,
    options: CallOptions = {},
  ): APIPromise<FileListPage> {
    const check = () => {
      checkId(params.bucketId, 'bucketId');
      checkPageSize(params.maxFileCount, 100, 'maxFileCount');
    };
    return this.json('b2_list_unfinished_large_files', { ...params }, listFilesSchema, options, check);
  }

  /** `b2_copy_file`: `metadataDirective` is REPLACE when `contentType` or `fileInfo` is given. */
  copyFile(params: P.CopyFileParams, options: CallOptions = {}): APIPromise<FileVersion> {
    const { range, serverSideEncryption, sourceServerSideEncryption, fileRetention, ...rest } = params;
    const replace = params.contentType !== undefined || params.fileInfo !== undefined;
    const body = () => ({
      ...rest,
      range: range ? rangeText(range) : undefined,
      metadataDirective: replace ? 'REPLACE' : 'COPY',
      destinationServerSideEncryption: encryptionJson(serverSideEncryption),
      sourceServerSideEncryption: encryptionJson(sourceServerSideEncryption),
      fileRetention: retentionJson(fileRetention),
    });
    const check = () => {
      checkId(params.sourceFileId, 'sourceFileId');
      checkFileName(params.fileName);
      checkRange(range, 'range', true);
      checkFileInfo(params.fileInfo, 'fileInfo');
      if (replace && params.contentType === undefined)
        throw new InvalidInputError('contentType', 'is required when fileInfo replaces the source’s');
      checkCustomerKey(sourceServerSideEncryption, 'sourceServerSideEncryption');
      this.checkNewFile(params);
      this.keepSecret(sourceServerSideEncryption);
    };
    return this.json('b2_copy_file', body, fileVersionSchema, options, check);
  }

  /** `b2_copy_part`. */
  copyPart(params: P.CopyPartParams, options: CallOptions = {}): APIPromise<Part> {
    const {
      range,
      sourceServerSideEncryption: source,
      destinationServerSideEncryption: target,
      ...rest
    } = params;
    const body = () => ({
      ...rest,
      range: range ? rangeText(range) : undefined,
      sourceServerSideEncryption: encryptionJson(source),
      destinationServerSideEncryption: encryptionJson(target),
    });
    const check = () => {
      checkId(params.sourceFileId, 'sourceFileId');
      checkId(params.largeFileId, 'largeFileId');
      checkPartNumber(params.partNumber);
      checkRange(range, 'range', true);
      checkCustomerKey(source, 'sourceServerSideEncryption');
      checkCustomerKey(target, 'destinationServerSideEncryption');
      this.keepSecret(source, target);
    };
    return this.json('b2_copy_part', body, partSchema, options, check);
  }
}
