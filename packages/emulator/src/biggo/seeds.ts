/** The demo fixture: two users; the demo app's user has 45 videos (pages of 20, 20 and 5). */
import type { BgCtx } from './model.js';

const HOUR = 3_600_000;

export async function seedDemo(ctx: BgCtx): Promise<void> {
  for (let i = 0; i < 50; i += 1) {
    const blob = await ctx.blobs.putGenerated(20_000 + i * 1000, `biggo-demo-${i}`);
    const id = ctx.ids.hex(16);
    ctx.state.videos[id] = {
      video_id: id,
      userid: i >= 45 ? 'u2000' : 'u1000',
      title: `Harbour clip ${i + 1}`,
      description: 'From the demo seed',
      // Mostly public, some unlisted, and one private video of the other user (hidden from us).
      access: i === 47 ? 1 : i % 7 === 3 ? 2 : 0,
      thumbnail_time: 0,
      product_list: i % 10 === 0 ? [{ nindex: 'tw_pmall_rakuten', oid: String(1000 + i) }] : [],
      // Uploaded hours ago, so every demo video is processed.
      uploadedAt: ctx.clock.now() - (50 - i) * HOUR,
      blobId: blob.id,
      sha1: blob.sha1 ?? '',
      size: blob.size,
      filename: `clip${i + 1}.mp4`,
      fileSizeHeader: blob.size,
      region: 'tw',
      part: 'video',
      edited: true,
      views: 10 * i,
    };
  }
}
