/**
 * Parts of a large file (spec §3.3.8): each uploaded on an exclusive part URL with its SHA-1 at the end,
 * retried alone on a fresh URL; and the unfinished file as a handle that collects parts, then finishes
 * (SHA-1s in part-number order) or cancels.
 *
 * @module
 */
import {
  type CallOptions,
  InvalidInputError,
  type TransferOptions,
  type WithResponse,
} from '@mediaferry/core';
import type { CustomerKey } from '../encryption.js';
import type { FileVersion, Part } from '../models.js';
import type { ManagerContext } from './context.js';
import { attemptOptions, postWithFreshUrls, withSha1AtEnd } from './fresh-urls.js';

export interface PartUploadOptions extends TransferOptions {
  /** Whether `open` may be called again (bytes in hand, a file range): only then is a failed part re-sent. */
  readonly replayable: boolean;
  /** Bytes newly sent: the part's count never goes back, so a retried part adds nothing twice. */
  readonly onBytes?: ((bytes: number) => void) | undefined;
  /** The key of an SSE-C large file. */
  readonly customerKey?: CustomerKey | undefined;
}

/** One part, from a range of a replayable source or from bytes in hand, with fresh-URL retries. */
export function uploadPartWithFreshUrls(
  context: ManagerContext,
  fileId: string,
  partNumber: number,
  open: () => Promise<ReadableStream<Uint8Array>>,
  size: number,
  options: PartUploadOptions,
): Promise<WithResponse<Part>> {
  const body = withSha1AtEnd(open, size, options.replayable);
  // The part's high-water mark survives its retries: only bytes beyond it count.
  let counted = 0;
  return postWithFreshUrls(
    context,
    `file:${fileId}`,
    () => context.raw.getUploadPartUrl({ fileId }, { signal: options.signal }),
    body,
    (target, payload) =>
      context.raw
        .uploadPart(
          {
            uploadUrl: target.uploadUrl,
            authorizationToken: target.authorizationToken,
            partNumber,
            contentSha1: 'hex_digits_at_end',
            body: payload,
            contentLength: size + 40,
            serverSideEncryption: options.customerKey,
            onProgress: (p) => {
              const loaded = Math.min(p.loaded, size);
              if (loaded <= counted) return;
              options.onBytes?.(loaded - counted);
              counted = loaded;
            },
          },
          attemptOptions(options),
        )
        .withResponse(),
    options,
  );
}

/**
 * An unfinished large file: parts may be uploaded in any order and concurrently; `finish` sends their
 * SHA-1s in part-number order and checks before any request that they are 1..N without gaps.
 */
export class LargeFile {
  readonly #context: ManagerContext;
  readonly #parts = new Map<number, Part>();
  readonly #customerKey: CustomerKey | undefined;
  #state: 'open' | 'finished' | 'cancelled' = 'open';

  constructor(
    context: ManagerContext,
    /** The `b2_start_large_file` answer (or the unfinished file a resume continues). */
    readonly file: FileVersion,
    customerKey?: CustomerKey,
  ) {
    if (!file.fileId) throw new InvalidInputError('fileId', 'a large file needs its id');
    this.#context = context;
    this.#customerKey = customerKey;
  }

  get id(): string {
    return this.file.fileId ?? '';
  }

  /** Parts held so far, by part number. */
  get parts(): readonly Part[] {
    return [...this.#parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  #open(): void {
    if (this.#state !== 'open') throw new InvalidInputError('largeFile', `is already ${this.#state}`);
  }

  /** Uploads one part and records it. */
  async upload(
    partNumber: number,
    open: () => Promise<ReadableStream<Uint8Array>>,
    size: number,
    options: Omit<PartUploadOptions, 'customerKey'>,
  ): Promise<Part> {
    this.#open();
    const { data: part } = await uploadPartWithFreshUrls(this.#context, this.id, partNumber, open, size, {
      ...options,
      customerKey: this.#customerKey,
    });
    this.#parts.set(part.partNumber, part);
    return part;
  }

  /** Records a part uploaded elsewhere (a resumed upload, a copied part). */
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
    const file = await this.#context.raw.finishLargeFile(
      { fileId: this.id, partSha1Array: parts.map((p) => p.contentSha1) },
      options,
    );
    this.#state = 'finished';
    this.#context.pool.drop(`file:${this.id}`);
    return file;
  }

  /** Cancels the file; B2 deletes its parts. */
  async cancel(options: CallOptions = {}): Promise<void> {
    this.#open();
    await this.#context.raw.cancelLargeFile({ fileId: this.id }, options);
    this.#state = 'cancelled';
    this.#context.pool.drop(`file:${this.id}`);
  }
}
