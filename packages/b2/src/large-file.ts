import { type CallOptions, InvalidInputError } from '@mediaferry/core';
import type { FileVersion, Part } from './models.js';
import { checkPartNumber } from './names.js';
import { type UploadContext, uploadPart } from './uploads.js';

/** What {@link LargeFile} needs from the client. */
export interface LargeFileApi {
  readonly upload: UploadContext;
  finishLargeFile(
    fileId: string,
    partSha1Array: readonly string[],
    options?: CallOptions,
  ): Promise<FileVersion>;
  cancelLargeFile(fileId: string, options?: CallOptions): Promise<unknown>;
}

/**
 * An unfinished large file (aiob2's `LargeFile`): upload parts, then finish or cancel. Parts may be uploaded
 * in any order and concurrently; `finish` sends their SHA-1s in part-number order.
 */
export class LargeFile {
  readonly #api: LargeFileApi;
  readonly #parts = new Map<number, Part>();
  #state: 'open' | 'finished' | 'cancelled' = 'open';

  constructor(
    api: LargeFileApi,
    /** The `b2_start_large_file` answer. */
    readonly file: FileVersion,
    readonly recommendedPartSize: number,
    readonly absoluteMinimumPartSize: number,
  ) {
    this.#api = api;
  }

  get id(): string {
    return this.file.fileId as string;
  }

  get name(): string {
    return this.file.fileName;
  }

  /** Parts uploaded so far, by part number. */
  get parts(): readonly Part[] {
    return [...this.#parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  #open(): void {
    if (this.#state !== 'open') throw new InvalidInputError('largeFile', `is already ${this.#state}`);
  }

  /** Uploads one part from bytes in hand (SHA-1 computed while streaming, fresh URL on failure). */
  async uploadPart(content: Uint8Array, partNumber: number, options: CallOptions = {}): Promise<Part> {
    this.#open();
    checkPartNumber(partNumber);
    if (content.byteLength === 0) throw new InvalidInputError('content', 'a part must not be empty');
    const part = await uploadPart(
      this.#api.upload,
      this.id,
      partNumber,
      async () => new Blob([content]).stream(),
      content.byteLength,
      {
        signal: options.signal,
        replayable: true,
      },
    );
    this.#parts.set(partNumber, part);
    return part;
  }

  /** Records a part uploaded elsewhere (a resumed upload, a `copyPart`). */
  adopt(part: Part): void {
    this.#parts.set(part.partNumber, part);
  }

  /** Finishes the file from its parts (at least 2, numbered 1..N without gaps). */
  async finish(options: CallOptions = {}): Promise<FileVersion> {
    this.#open();
    const parts = this.parts;
    if (parts.length < 2) throw new InvalidInputError('parts', 'a large file needs at least 2 parts');
    parts.forEach((part, index) => {
      if (part.partNumber !== index + 1) throw new InvalidInputError('parts', `part ${index + 1} is missing`);
    });
    const file = await this.#api.finishLargeFile(
      this.id,
      parts.map((p) => p.contentSha1),
      options,
    );
    this.#state = 'finished';
    this.#api.upload.pool.drop(`file:${this.id}`);
    return file;
  }

  /** Cancels the file; B2 deletes its parts. */
  async cancel(options: CallOptions = {}): Promise<void> {
    this.#open();
    await this.#api.cancelLargeFile(this.id, options);
    this.#state = 'cancelled';
    this.#api.upload.pool.drop(`file:${this.id}`);
  }
}
