/**
 * The mediaferry library as a peer in `npm run bench -- peers` and `memory`: `b2.files.upload` of a file
 * and `b2.files.downloadToFile` by name, with the library's defaults, as a program using it would call them.
 *
 *   node dist/tools/mediaferry-lib.js '{"url", "keyId", "key", "bucket", "op", "name", "path"}'
 *
 * Authorizes (by looking the bucket up) before the clock starts, like the other in-process peers; prints
 * {"ms": ...} on its last line.
 */
import { B2Client } from '@mediaferry/b2';

interface Job {
  readonly url: string;
  readonly keyId: string;
  readonly key: string;
  readonly bucket: string;
  readonly op: 'upload' | 'download';
  /** B2 file name: uploaded as, or downloaded from. */
  readonly name: string;
  /** Local file: uploaded from, or saved to. */
  readonly path: string;
}

const job = JSON.parse(process.argv[2]!) as Job;
const client = new B2Client({ keyId: job.keyId, applicationKey: job.key, baseUrl: job.url });
try {
  const { bucketId } = await client.buckets.get({ bucketName: job.bucket });
  const started = performance.now();
  if (job.op === 'upload')
    await client.files.upload({ bucketId, fileName: job.name, source: job.path }).done();
  else await client.files.downloadToFile({ bucketName: job.bucket, fileName: job.name }, job.path).done();
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - started })}\n`);
} finally {
  await client.close();
}
