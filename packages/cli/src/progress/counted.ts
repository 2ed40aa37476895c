import { type BodySource, fileStream, toBodySource } from '@mediaferry/core';

/**
 * A file as an upload body whose bytes are counted as the uploader reads them (with backpressure, read ≈
 * sent), for clients whose call takes no progress listener. Each attempt reads the file afresh.
 */
export function countedFile(
  path: string,
  size: number,
  onProgress: (progress: { loaded: number; total: number }) => void,
): Promise<BodySource> {
  return toBodySource(
    async () => {
      let loaded = 0;
      return fileStream(path).pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            loaded += chunk.byteLength;
            onProgress({ loaded, total: size });
            controller.enqueue(chunk);
          },
        }),
      );
    },
    { size },
  );
}
