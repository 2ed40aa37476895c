import type { Connection } from '../connections.js';
import type { Pruner } from '../copy/prune.js';
import type { Location } from '../locations.js';
import { b2Client, bucketIdOf } from './b2.js';
import type { Runtime } from './types.js';

/**
 * A B2 prefix as `sync --delete` sees it: the visible files under it; removal hides the file (a new hide
 * marker, so every version stays and can be restored), or with `deleteVersions` deletes every version of it.
 */
export async function b2Pruner(
  location: Location & { kind: 'b2' },
  connection: Connection,
  runtime: Runtime,
  deleteVersions: boolean,
): Promise<Pruner> {
  const client = b2Client(connection, runtime);
  const bucketId = await bucketIdOf(client, location.bucket, runtime.signal);
  const path = location.prefix;
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  return {
    verb: deleteVersions ? 'delete every version of' : 'hide',
    async *list(signal) {
      for await (const file of client.files.list({ bucketId, prefix }, { signal })) {
        if (file.action !== 'upload') continue;
        const modified = Number(file.fileInfo.src_last_modified_millis);
        yield {
          path: file.fileName.slice(prefix.length),
          size: file.contentLength,
          modifiedMs: Number.isSafeInteger(modified) ? modified : file.uploadTimestamp.getTime(),
        };
      }
    },
    async remove(name, signal) {
      const fileName = prefix + name;
      if (!deleteVersions) {
        await client.files.hide({ bucketId, fileName }, { signal });
        return;
      }
      const versions = client.files.listVersions({ bucketId, prefix: fileName }, { signal });
      for await (const version of versions) {
        if (version.fileName !== fileName) break;
        if (version.fileId)
          await client.files.delete({ fileName: version.fileName, fileId: version.fileId }, { signal });
      }
    },
  };
}
