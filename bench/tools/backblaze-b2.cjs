// npm `backblaze-b2` as a peer in `npm run bench -- peers`, loaded from the temporary prefix the bench
// installed it into (never a project dependency).
//
// Usage: node backblaze-b2.cjs <prefix> '{"url", "keyId", "key", "bucket", "op", "name", "path"}'.
// The library has no realm option: its own per-request `axiosOverride` (documented in its README) points the
// one hard-coded URL, b2_authorize_account, at the emulator; every later URL comes from that answer.
// Uploads follow its README: a large file in parts of the recommended size, each part read into a Buffer
// (its uploadPart hashes the Buffer), `parallel` parts in flight, each worker with its own upload URL.
// Times only the transfer; prints {"ms": ...} on its last line.
'use strict';
const { createWriteStream } = require('node:fs');
const { open, stat } = require('node:fs/promises');
const { join } = require('node:path');
const { pipeline } = require('node:stream/promises');

const B2 = require(join(process.argv[2], 'node_modules', 'backblaze-b2'));
const job = JSON.parse(process.argv[3]);

async function upload(b2, bucketId, partSize) {
  const { size } = await stat(job.path);
  const file = await open(job.path, 'r');
  const read = async (start, length) => {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, start);
    if (bytesRead !== length) throw new Error(`short read at ${start}`);
    return buffer;
  };
  try {
    if (size <= partSize) {
      const target = (await b2.getUploadUrl({ bucketId })).data;
      await b2.uploadFile({
        uploadUrl: target.uploadUrl,
        uploadAuthToken: target.authorizationToken,
        fileName: job.name,
        data: await read(0, size),
      });
      return;
    }
    const { fileId } = (await b2.startLargeFile({ bucketId, fileName: job.name })).data;
    const count = Math.ceil(size / partSize);
    const sha1s = new Array(count);
    let next = 0;
    const worker = async () => {
      const target = (await b2.getUploadPartUrl({ fileId })).data;
      for (let index = next++; index < count; index = next++) {
        const start = index * partSize;
        const data = await read(start, Math.min(partSize, size - start));
        const sent = await b2.uploadPart({
          partNumber: index + 1,
          uploadUrl: target.uploadUrl,
          uploadAuthToken: target.authorizationToken,
          data,
        });
        sha1s[index] = sent.data.contentSha1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(job.parallel, count) }, worker));
    await b2.finishLargeFile({ fileId, partSha1Array: sha1s });
  } finally {
    await file.close();
  }
}

async function main() {
  const b2 = new B2({ applicationKeyId: job.keyId, applicationKey: job.key });
  const auth = await b2.authorize({ axiosOverride: { url: `${job.url}/b2api/v2/b2_authorize_account` } });
  const { buckets } = (await b2.getBucket({ bucketName: job.bucket })).data;
  const started = performance.now();
  if (job.op === 'upload') {
    await upload(b2, buckets[0].bucketId, auth.data.recommendedPartSize);
  } else {
    const response = await b2.downloadFileByName({
      bucketName: job.bucket,
      fileName: job.name,
      responseType: 'stream',
    });
    await pipeline(response.data, createWriteStream(job.path));
  }
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - started })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
