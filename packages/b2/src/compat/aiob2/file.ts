/**
 * aiob2's `File` (docs/file.md, file_parts.md, file_parts_upload.md): delete, info, save, download (whole or
 * in chunks), and the parts of an unfinished large file.
 *
 * @module
 */
import { InvalidInputError } from '@mediaferry/core';
import type { Bucket } from './bucket.js';
import { compat, compatIterate, InvalidPartNumber } from './errors.js';
import { FileDeleteModel, FileModel, GetUploadUrlModel, PartDeleteModel, PartModel } from './models.js';
import { downloadBytes, downloadChunks, required, type Session } from './session.js';

/** `b2_list_parts` parameters as B2 names them. */
export interface ListPartsKwargs {
  readonly startPartNumber?: number;
  /** Parts per request (every page is listed). */
  readonly maxPartCount?: number;
}

/** `file.parts.upload`: part uploads of a large file. */
export class PartsUpload {
  readonly #file: File;
  readonly #session: Session;

  constructor(file: File, session: Session) {
    this.#file = file;
    this.#session = session;
  }

  /** A part upload URL of this large file. */
  async get(): Promise<GetUploadUrlModel> {
    const fileId = required(this.#file.fileId, 'fileId');
    return new GetUploadUrlModel(await compat(this.#session.b2.raw.getUploadPartUrl({ fileId })));
  }

  /**
   * Uploads `data` as part `xBzPartNumber` (1-10000, else `InvalidPartNumber` before any request);
   * `bytesCount` is its length, as aiob2 sends it in `Content-Length`.
   */
  async data(data: Uint8Array, bytesCount: number, xBzPartNumber: number): Promise<PartModel> {
    const fileId = required(this.#file.fileId, 'fileId');
    if (!Number.isInteger(xBzPartNumber) || xBzPartNumber < 1 || xBzPartNumber > 10_000)
      throw new InvalidPartNumber(xBzPartNumber);
    if (!(data instanceof Uint8Array)) throw new InvalidInputError('data', 'must be bytes (a Uint8Array)');
    if (bytesCount !== data.byteLength)
      throw new InvalidInputError('bytesCount', `must be the length of data (${data.byteLength})`);
    const part = await compat(
      this.#session.b2.largeFiles.uploadPart({
        fileId,
        partNumber: xBzPartNumber,
        source: data,
        size: bytesCount,
      }),
    );
    return new PartModel(part);
  }

  /** Cancels the large file; B2 deletes its parts. */
  async cancel(): Promise<[PartDeleteModel, Bucket]> {
    const fileId = required(this.#file.fileId, 'fileId');
    const cancelled = await compat(this.#session.b2.largeFiles.cancel(fileId));
    return [new PartDeleteModel(cancelled), this.#session.bucket(cancelled.bucketId)];
  }
}

/** `file.parts`: the parts of a large file. */
export class FileParts {
  readonly upload: PartsUpload;
  readonly #file: File;
  readonly #session: Session;

  constructor(file: File, session: Session) {
    this.#file = file;
    this.#session = session;
    this.upload = new PartsUpload(file, session);
  }

  /** The parts uploaded so far, across all pages. */
  async *list(kwargs: ListPartsKwargs = {}): AsyncGenerator<PartModel> {
    const fileId = required(this.#file.fileId, 'fileId');
    const { maxPartCount, startPartNumber } = kwargs;
    const listing = this.#session.b2.largeFiles.listParts({ fileId, pageSize: maxPartCount });
    for await (const part of compatIterate(listing))
      if (startPartNumber === undefined || part.partNumber >= startPartNumber) yield new PartModel(part);
  }

  /** Finishes the large file from the SHA-1s of its parts, in order. */
  async finish(partSha1Array: readonly string[]): Promise<[FileModel, Bucket]> {
    const fileId = required(this.#file.fileId, 'fileId');
    const file = await compat(this.#session.b2.largeFiles.finish({ fileId, partSha1Array }));
    return [new FileModel(file), this.#session.bucket(file.bucketId)];
  }
}

/** A file version by id. */
export class File {
  /** Null for the folder entries of a delimited listing (they have no id). */
  readonly fileId: string | null;
  readonly parts: FileParts;
  readonly #session: Session;

  constructor(session: Session, fileId: string | null) {
    this.#session = session;
    this.fileId = fileId;
    this.parts = new FileParts(this, session);
  }

  /** Deletes this version (`b2_delete_file_version`). */
  async delete(fileName: string): Promise<FileDeleteModel> {
    const fileId = required(this.fileId, 'fileId');
    return new FileDeleteModel(await compat(this.#session.b2.files.delete({ fileName, fileId })));
  }

  /** The version's info, and a handle of its bucket. */
  async info(): Promise<[FileModel, Bucket]> {
    const file = await compat(this.#session.b2.files.get(required(this.fileId, 'fileId')));
    return [new FileModel(file), this.#session.bucket(file.bucketId)];
  }

  /** Saves the file to `pathway`: renamed into place only when complete and its SHA-1 checked. */
  async save(pathway: string): Promise<void> {
    const fileId = required(this.fileId, 'fileId');
    await compat(this.#session.b2.files.downloadToFile({ fileId }, pathway).done());
  }

  /** The whole file in memory. */
  download(): Promise<Uint8Array> {
    return downloadBytes(this.#session, { fileId: required(this.fileId, 'fileId') });
  }

  /** The file in `chunkSize`-byte chunks, streamed. */
  downloadIterate(): AsyncGenerator<Uint8Array> {
    return downloadChunks(this.#session, { fileId: required(this.fileId, 'fileId') });
  }
}
