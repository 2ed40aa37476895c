/**
 * The B2 native API spoken directly (fetch, no mediaferry client), for setting up benches and for checking
 * on the emulator's side what every tool stored: a bench must not trust the tool it measures.
 */
import type { SourceFile } from './files.js';

export interface B2Authorization {
  readonly accountId: string;
  readonly authorizationToken: string;
  readonly apiUrl: string;
  readonly downloadUrl: string;
  readonly recommendedPartSize: number;
  readonly absoluteMinimumPartSize: number;
}

export class RawB2 {
  private constructor(
    /** The emulator's own URL (control plane lives under it). */
    readonly url: string,
    readonly auth: B2Authorization,
  ) {}

  static async authorize(url: string, keyId: string, key: string): Promise<RawB2> {
    const response = await fetch(`${url}/b2api/v3/b2_authorize_account`, {
      headers: { authorization: `Basic ${Buffer.from(`${keyId}:${key}`).toString('base64')}` },
    });
    if (!response.ok) throw new Error(`b2_authorize_account: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as {
      accountId: string;
      authorizationToken: string;
      apiInfo: {
        storageApi: {
          apiUrl: string;
          downloadUrl: string;
          recommendedPartSize: number;
          absoluteMinimumPartSize: number;
        };
      };
    };
    const storage = body.apiInfo.storageApi;
    return new RawB2(url, {
      accountId: body.accountId,
      authorizationToken: body.authorizationToken,
      apiUrl: storage.apiUrl,
      downloadUrl: storage.downloadUrl,
      recommendedPartSize: storage.recommendedPartSize,
      absoluteMinimumPartSize: storage.absoluteMinimumPartSize,
    });
  }

  async call<T>(name: string, body: Record<string, unknown>): Promise<T> {
    const response = await fetch(`${this.auth.apiUrl}/b2api/v3/${name}`, {
      method: 'POST',
      headers: { authorization: this.auth.authorizationToken },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${name}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** The bucket's id, creating it (private) when absent. */
  async bucketId(bucketName: string): Promise<string> {
    const { buckets } = await this.call<{ buckets: Array<{ bucketId: string }> }>('b2_list_buckets', {
      accountId: this.auth.accountId,
      bucketName,
    });
    if (buckets[0]) return buckets[0].bucketId;
    const created = await this.call<{ bucketId: string }>('b2_create_bucket', {
      accountId: this.auth.accountId,
      bucketName,
      bucketType: 'allPrivate',
    });
    return created.bucketId;
  }

  /** `b2_download_file_by_name` URL of a file. */
  fileUrl(bucketName: string, fileName: string): string {
    const encoded = fileName.split('/').map(encodeURIComponent).join('/');
    return `${this.auth.downloadUrl}/file/${bucketName}/${encoded}`;
  }

  /** Deletes every version of every file under a prefix (keeps the emulator's disk use bounded). */
  async deleteAll(bucketId: string, prefix: string): Promise<void> {
    const { files } = await this.call<{ files: Array<{ fileName: string; fileId: string }> }>(
      'b2_list_file_versions',
      { bucketId, prefix, maxFileCount: 10_000 },
    );
    for (const file of files)
      await this.call('b2_delete_file_version', { fileName: file.fileName, fileId: file.fileId });
    const { files: unfinished } = await this.call<{ files: Array<{ fileId: string }> }>(
      'b2_list_unfinished_large_files',
      { bucketId, namePrefix: prefix, maxFileCount: 100 },
    );
    for (const file of unfinished) await this.call('b2_cancel_large_file', { fileId: file.fileId });
  }

  /** The emulator's whole state (its control plane's `/__emulator/state`). */
  async state(): Promise<EmulatorDump> {
    const response = await fetch(`${this.url}/__emulator/state`);
    if (!response.ok) throw new Error(`emulator state: ${response.status}`);
    return (await response.json()) as EmulatorDump;
  }

  /**
   * Checks, from the emulator's own records, that `fileName` holds exactly the source's bytes: one finished
   * version of the right length whose stored pieces (one blob, or each part of a large file) carry the SHA-1s
   * the emulator computed on receipt, compared with the same ranges of the source. Returns the pieces' sizes.
   */
  async verifyStored(bucketId: string, fileName: string, source: SourceFile, who: string): Promise<number[]> {
    const dump = await this.state();
    const versions = Object.values(dump.state.files).filter(
      (f) => f.bucketId === bucketId && f.fileName === fileName,
    );
    const fail = (why: string): never => {
      throw new Error(`${who}: the emulator does not hold ${fileName} as uploaded: ${why}`);
    };
    if (versions.length !== 1) fail(`${versions.length} versions`);
    const file = versions[0]!;
    if (file.action !== 'upload') fail(`action ${file.action}`);
    if (file.contentLength !== source.size) fail(`${file.contentLength} bytes, expected ${source.size}`);
    const blobs = new Map(dump.blobs.map((b) => [b.id, b]));
    const pieces: Array<{ size: number; sha1: string | undefined }> = [];
    const flatten = (id: string): void => {
      const blob = blobs.get(id) ?? fail(`unknown blob ${id}`);
      if (blob.kind === 'composed') for (const part of blob.parts ?? []) flatten(part);
      else if (blob.kind === 'stored') pieces.push({ size: blob.size, sha1: blob.sha1 });
      else fail(`blob ${id} is ${blob.kind}, not received bytes`);
    };
    flatten(file.blobId ?? fail('no blob'));
    let offset = 0;
    for (const piece of pieces) {
      const expected = await source.rangeSha1(offset, offset + piece.size);
      if (piece.sha1 !== expected) fail(`bytes ${offset}-${offset + piece.size} have SHA-1 ${piece.sha1}`);
      offset += piece.size;
    }
    if (offset !== source.size) fail(`pieces add up to ${offset} bytes`);
    return pieces.map((p) => p.size);
  }
}

/** The part of the B2 emulator's state dump the benches read. */
export interface EmulatorDump {
  readonly state: {
    readonly files: Record<
      string,
      {
        fileId: string;
        bucketId: string;
        fileName: string;
        action: string;
        contentLength: number;
        blobId?: string;
      }
    >;
  };
  readonly blobs: ReadonlyArray<{
    id: string;
    kind: 'stored' | 'generated' | 'composed';
    size: number;
    sha1?: string;
    parts?: string[];
  }>;
}
