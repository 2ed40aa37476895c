/** What every B2 bench starts with: a `mediaferry emulator` process (blobs on disk), a bucket, raw access. */
import { join } from 'node:path';
import { RawB2 } from './b2-raw.js';
import { curlUploadStream } from './curl-b2.js';
import { type EmulatorProcess, startEmulatorProcess } from './emulator-process.js';
import type { SourceFile } from './files.js';
import type { B2Connection } from './tool-runs.js';

export interface B2Bench {
  readonly emulator: EmulatorProcess;
  /** The emulator's URL and master key, and the bench's bucket. */
  readonly conn: B2Connection;
  readonly raw: RawB2;
  readonly bucketId: string;
  /** Puts a file in place in one stream (curl, untimed) and checks the emulator holds its bytes. */
  seed(source: SourceFile, fileName: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the emulator with `--data <dir>/emulator` and creates `bucket`. */
export async function startB2Bench(dir: string, bucket: string): Promise<B2Bench> {
  const emulator = await startEmulatorProcess(['b2'], { data: join(dir, 'emulator') });
  try {
    const b2 = emulator.services.b2!;
    const conn: B2Connection = { url: b2.url, keyId: String(b2.keyId), key: String(b2.key), bucket };
    const raw = await RawB2.authorize(conn.url, conn.keyId, conn.key);
    const bucketId = await raw.bucketId(bucket);
    return {
      emulator,
      conn,
      raw,
      bucketId,
      async seed(source, fileName) {
        await curlUploadStream(raw, bucketId, source, fileName);
        await raw.verifyStored(bucketId, fileName, source, 'setup');
      },
      close: () => emulator.close(),
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
