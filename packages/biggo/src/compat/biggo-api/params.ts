/**
 * biggo_api's `VideoParams`: the parameters of `update`/`partialUpdate`, checked when built (pydantic
 * validates at construction). Unset fields are `null`, as Python's `None`.
 *
 * @module
 */
import type { AccessInput, AccessValue, BigGoProductRef } from '../../models.js';
import { accessValue, updateBody } from '../../params.js';

/** What `new VideoParams(…)` takes; `thumbnail-ts` is accepted for `thumbnailTime`, like the Python alias. */
export interface VideoParamsInit {
  readonly videoId: string;
  readonly access?: AccessInput | null | undefined;
  readonly description?: string | null | undefined;
  /** At most 10 products, `{nindex, oid}` each. */
  readonly productList?: readonly BigGoProductRef[] | null | undefined;
  /** Where the thumbnail is taken, in ms into the video. */
  readonly thumbnailTime?: number | null | undefined;
  readonly 'thumbnail-ts'?: number | null | undefined;
  readonly title?: string | null | undefined;
}

/** Parameters of a video (`VideoParams`). Bad values are an `InvalidInputError` here, before any request. */
export class VideoParams {
  readonly videoId: string;
  readonly access: AccessValue | null;
  readonly description: string | null;
  readonly productList: readonly BigGoProductRef[] | null;
  readonly thumbnailTime: number | null;
  readonly title: string | null;

  constructor(init: VideoParamsInit) {
    const thumbnailTime = init.thumbnailTime ?? init['thumbnail-ts'] ?? undefined;
    updateBody({
      videoId: init.videoId,
      access: init.access ?? undefined,
      description: init.description ?? undefined,
      productList: init.productList ?? undefined,
      thumbnailTime,
      title: init.title ?? undefined,
    });
    this.videoId = init.videoId;
    this.access = accessValue(init.access ?? undefined) ?? null;
    this.description = init.description ?? null;
    this.productList = init.productList
      ? init.productList.map((p) => ({ nindex: p.nindex, oid: p.oid }))
      : null;
    this.thumbnailTime = thumbnailTime ?? null;
    this.title = init.title ?? null;
  }
}
