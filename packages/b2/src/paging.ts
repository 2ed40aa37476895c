/**
 * B2's listings as core paginators: each follows its own cursor (`nextFileName`, `nextFileName` +
 * `nextFileId`, `nextFileId`, `nextPartNumber`, `nextApplicationKeyId`) and checks its page size before
 * any request.
 *
 * @module
 */
import { type CallOptions, type ListingOptions, Paginator } from '@mediaferry/core';
import { checkPageSize } from './checks.js';
import type { ApplicationKey, FileVersion, Part } from './models.js';
import type { B2Raw } from './raw/index.js';

/** The paging options every listing takes: page size and the guards against endless listings. */
export interface PageOptions extends ListingOptions {
  /** Items per request (B2's `maxFileCount`, `maxPartCount`, `maxKeyCount`). */
  readonly pageSize?: number | undefined;
}

/** Where a version listing resumes: `startFileName` + `startFileId`. */
export interface VersionCursor {
  readonly name: string | undefined;
  readonly id: string | undefined;
}

function guards(page: PageOptions, options: CallOptions) {
  return { signal: options.signal, maxPages: page.maxPages, maxItems: page.maxItems };
}

const withSignal = (options: CallOptions, signal: AbortSignal | undefined) => ({ ...options, signal });

export interface FileNamesQuery extends PageOptions {
  readonly bucketId: () => Promise<string>;
  readonly prefix?: string | undefined;
  readonly delimiter?: string | undefined;
  readonly startFileName?: string | undefined;
}

/** Every current file name (the newest upload of each), in name order. Default page: 1000. */
export function fileNames(
  raw: B2Raw,
  query: FileNamesQuery,
  options: CallOptions,
): Paginator<FileVersion, string | undefined> {
  const { pageSize = 1000, prefix, delimiter } = query;
  checkPageSize(pageSize, 10_000);
  return new Paginator<FileVersion, string | undefined>(
    query.startFileName,
    async (startFileName, signal) => {
      const bucketId = await query.bucketId();
      const page = await raw.listFileNames(
        { bucketId, prefix, delimiter, startFileName, maxFileCount: pageSize },
        withSignal(options, signal),
      );
      return { items: page.files, next: page.nextFileName ?? null, raw: page };
    },
    guards(query, options),
  );
}

/** Every version (uploads, hide markers, unfinished large files): by name, newest first within a name. */
export function fileVersions(
  raw: B2Raw,
  query: FileNamesQuery & { readonly startFileId?: string | undefined },
  options: CallOptions,
): Paginator<FileVersion, VersionCursor> {
  const { pageSize = 1000, prefix, delimiter } = query;
  checkPageSize(pageSize, 10_000);
  return new Paginator<FileVersion, VersionCursor>(
    { name: query.startFileName, id: query.startFileId },
    async (cursor, signal) => {
      const bucketId = await query.bucketId();
      const page = await raw.listFileVersions(
        {
          bucketId,
          prefix,
          delimiter,
          startFileName: cursor.name,
          startFileId: cursor.id,
          maxFileCount: pageSize,
        },
        withSignal(options, signal),
      );
      const next = page.nextFileName ? { name: page.nextFileName, id: page.nextFileId ?? undefined } : null;
      return { items: page.files, next, raw: page };
    },
    guards(query, options),
  );
}

/** Unfinished large files, oldest first. Default (and largest) page: 100. */
export function unfinishedLargeFiles(
  raw: B2Raw,
  query: PageOptions & { readonly bucketId: () => Promise<string>; readonly namePrefix?: string | undefined },
  options: CallOptions,
): Paginator<FileVersion, string | undefined> {
  const { pageSize = 100, namePrefix } = query;
  checkPageSize(pageSize, 100);
  return new Paginator<FileVersion, string | undefined>(
    undefined,
    async (startFileId, signal) => {
      const bucketId = await query.bucketId();
      const page = await raw.listUnfinishedLargeFiles(
        { bucketId, namePrefix, startFileId, maxFileCount: pageSize },
        withSignal(options, signal),
      );
      return { items: page.files, next: page.nextFileId ?? null, raw: page };
    },
    guards(query, options),
  );
}

/** The parts of an unfinished large file, by part number. Default (and largest) page: 1000. */
export function parts(
  raw: B2Raw,
  query: PageOptions & { readonly fileId: string },
  options: CallOptions,
): Paginator<Part, number> {
  const { pageSize = 1000, fileId } = query;
  checkPageSize(pageSize, 1000);
  return new Paginator<Part, number>(
    1,
    async (startPartNumber, signal) => {
      const page = await raw.listParts(
        { fileId, startPartNumber, maxPartCount: pageSize },
        withSignal(options, signal),
      );
      return { items: page.parts, next: page.nextPartNumber, raw: page };
    },
    guards(query, options),
  );
}

/** Every application key but the master key. Default page: 1000. */
export function keys(
  raw: B2Raw,
  query: PageOptions,
  options: CallOptions,
): Paginator<ApplicationKey, string | undefined> {
  const { pageSize = 1000 } = query;
  checkPageSize(pageSize, 10_000);
  return new Paginator<ApplicationKey, string | undefined>(
    undefined,
    async (startApplicationKeyId, signal) => {
      const page = await raw.listKeys(
        { startApplicationKeyId, maxKeyCount: pageSize },
        withSignal(options, signal),
      );
      return { items: page.keys, next: page.nextApplicationKeyId, raw: page };
    },
    guards(query, options),
  );
}
