/**
 * aiob2's `SourceFile` (docs/source_file.md: server-side copies from one file) and `Key` (docs/key.md).
 *
 * @module
 */
import { InvalidInputError } from '@mediaferry/core';
import type { ByteRange } from '../../checks.js';
import type { Bucket } from './bucket.js';
import { compat, InvalidPartNumber } from './errors.js';
import type { File } from './file.js';
import { FileModel, KeyModel, PartModel } from './models.js';
import type { Session } from './session.js';

/** `b2_copy_file` parameters as B2 names them; `range` as B2 writes it (`bytes=0-99`) or `{ start, end }`. */
export interface CopyFileKwargs {
  readonly range?: string | ByteRange;
  readonly metadataDirective?: 'COPY' | 'REPLACE';
  readonly contentType?: string;
  readonly fileInfo?: Readonly<Record<string, string>>;
  readonly destinationBucketId?: string;
}

/** `b2_create_key` parameters as B2 names them. */
export interface CreateKeyKwargs {
  readonly validDurationInSeconds?: number;
  readonly bucketId?: string;
  readonly namePrefix?: string;
}

function byteRange(range: string | ByteRange | undefined): ByteRange | undefined {
  if (range === undefined || typeof range === 'object') return range;
  const match = /^bytes=(\d+)-(\d+)$/.exec(range);
  if (!match) throw new InvalidInputError('range', 'must be "bytes=<first>-<last>"');
  return { start: Number(match[1]), end: Number(match[2]) };
}

/** `sourceFile.copy`: server-side copies of the source. */
export class Copy {
  readonly #sourceFileId: string;
  readonly #session: Session;

  constructor(sourceFileId: string, session: Session) {
    this.#sourceFileId = sourceFileId;
    this.#session = session;
  }

  /** `b2_copy_file`: the whole source (or `range`) to a new name, in this bucket or `destinationBucketId`. */
  async file(fileName: string, kwargs: CopyFileKwargs = {}): Promise<[FileModel, File]> {
    const { range, metadataDirective, contentType, fileInfo, destinationBucketId } = kwargs;
    if (metadataDirective === 'COPY' && (contentType !== undefined || fileInfo !== undefined))
      throw new InvalidInputError('metadataDirective', 'COPY takes no contentType or fileInfo');
    if (metadataDirective === 'REPLACE' && contentType === undefined)
      throw new InvalidInputError('contentType', 'is required with metadataDirective REPLACE');
    const copy = await compat(
      this.#session.b2.raw.copyFile({
        sourceFileId: this.#sourceFileId,
        fileName,
        range: byteRange(range),
        contentType,
        fileInfo: metadataDirective === 'REPLACE' ? (fileInfo ?? {}) : fileInfo,
        destinationBucketId,
      }),
    );
    return [new FileModel(copy), this.#session.file(copy.fileId)];
  }

  /** `b2_copy_part`: the source (or `range` of it) as part `partNumber` of a started large file. */
  async part(
    largeFileId: string,
    partNumber: number,
    kwargs: { readonly range?: string | ByteRange } = {},
  ): Promise<[PartModel, File]> {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
      throw new InvalidPartNumber(partNumber);
    const part = await compat(
      this.#session.b2.largeFiles.copyPart({
        sourceFileId: this.#sourceFileId,
        largeFileId,
        partNumber,
        range: byteRange(kwargs.range),
      }),
    );
    return [new PartModel(part), this.#session.file(largeFileId)];
  }
}

/** A file to copy from, on the server. */
export class SourceFile {
  readonly sourceFileId: string;
  readonly copy: Copy;

  constructor(session: Session, sourceFileId: string) {
    this.sourceFileId = sourceFileId;
    this.copy = new Copy(sourceFileId, session);
  }
}

/** Application keys. */
export class Key {
  readonly #session: Session;

  constructor(session: Session) {
    this.#session = session;
  }

  /** Creates a key; its `KeyModel` keeps the secret `applicationKey` (B2 shows it only now). */
  async create(
    capabilities: readonly string[],
    keyName: string,
    kwargs: CreateKeyKwargs = {},
  ): Promise<[KeyModel, Bucket]> {
    const key = await compat(this.#session.b2.keys.create({ ...kwargs, capabilities, keyName }));
    return [new KeyModel(key), this.#session.bucket(key.bucketId ?? null)];
  }

  /** Deletes a key; answers it, with a handle of its bucket. */
  async delete(applicationKeyId: string): Promise<[KeyModel, Bucket]> {
    const key = await compat(this.#session.b2.keys.delete(applicationKeyId));
    return [new KeyModel(key), this.#session.bucket(key.bucketId ?? null)];
  }
}
