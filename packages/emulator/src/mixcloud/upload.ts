/**
 * Upload and edit (spec §2.11, §2.12). The body streams through: the mp3 is only counted, the picture kept as
 * a blob. A part over its limit is answered at once with the upload error, while the rest of the request is
 * drained in the background (the server closes the connection if it goes on too long), so a client never
 * waits on an answer after `100 Continue`.
 */
import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail, readMultipart, requestChunks, requestHasBody } from '../framework/index.js';
import { ok } from './actions.js';
import { rateLimit, requireViewer } from './auth.js';
import { type FieldErrors, McFailure, validationError } from './errors.js';
import { applyFields, newCloudcast, type UploadForm } from './form.js';
import { type McCtx, slugify, storeKey } from './views.js';

/** 128 kbit/s: how the emulator turns an mp3's size into `audio_length`. */
const BYTES_PER_SECOND = 16_000;

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    while (!(await reader.read()).done);
  } catch {
    // The client went away: nothing left to drain.
  }
}

/** Counts a part's bytes; past `limit` it reports once and goes on reading, so the parser never stalls. */
async function count(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  onOversize: () => void,
): Promise<number> {
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    if (size > limit && size - chunk.byteLength <= limit) onOversize();
  }
  return size;
}

/** Passes a part through until it passes `limit`, then errors (so the blob is dropped) and drains the rest. */
function capped(source: ReadableStream<Uint8Array>, limit: number, onOversize: () => void) {
  const reader = source.getReader();
  let size = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      size += value.byteLength;
      if (size <= limit) return controller.enqueue(value);
      onOversize();
      controller.error(new RangeError(`part is larger than ${limit} bytes`));
      void drain(reader);
    },
    cancel: () => drain(reader),
  });
}

function failure(ctx: McCtx, details: FieldErrors): McFailure {
  try {
    validationError(ctx, details);
  } catch (error) {
    if (error instanceof McFailure) return error;
    throw error;
  }
}

/**
 * The request body as the multipart parser sees it, until {@link Feed.abandon}: then the parser's input ends
 * and the rest of the body is read and dropped as fast as it comes, without parsing it.
 */
class Feed {
  readonly stream: ReadableStream<Uint8Array>;
  #abandoned = false;
  readonly #source: AsyncIterator<Uint8Array>;

  constructor(body: AsyncIterable<Uint8Array>) {
    this.#source = body[Symbol.asyncIterator]();
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          if (this.#abandoned) return controller.close();
          const { done, value } = await this.#source.next();
          if (done) controller.close();
          else if (!this.#abandoned) controller.enqueue(value);
        },
        cancel: () => this.abandon(),
      },
      { highWaterMark: 0 },
    );
  }

  abandon(): void {
    if (this.#abandoned) return;
    this.#abandoned = true;
    void drainIterator(this.#source);
  }
}

async function drainIterator(source: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    while (!(await source.next()).done);
  } catch {
    // The client went away: nothing left to drain.
  }
}

async function readUpload(c: EmulatorContext, ctx: McCtx, allowUrlencoded: boolean): Promise<UploadForm> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded') && allowUrlencoded)
    return { fields: Object.fromEntries(new URLSearchParams(await c.req.text())) };
  if (!type.startsWith('multipart/form-data') || !requestHasBody(c))
    validationError(ctx, { mp3: ['Uploads must be multipart/form-data.'] });
  const form: UploadForm = { fields: {} };
  // Every picture part, in body order (a slot each as it starts: a small later part may be stored first).
  const pictures: (UploadForm['picture'] | undefined)[] = [];
  const drop = async (dropped: typeof pictures) => {
    for (const picture of dropped) if (picture) await ctx.blobs.delete(picture.blob);
  };
  const feed = new Feed(requestChunks(c));
  let reject: (error: unknown) => void = () => {};
  const oversize = new Promise<never>((_, fail) => {
    reject = fail;
  });
  const tooLarge = (field: string, limit: number) => () => {
    reject(failure(ctx, { [field]: [`Ensure this file is at most ${limit} bytes.`] }));
    feed.abandon();
  };
  const parsing = readMultipart(
    new Request(c.req.raw.url, {
      method: 'POST',
      headers: c.req.raw.headers,
      body: feed.stream,
      duplex: 'half',
    }),
    {
      onFile: async (field, stream, info) => {
        if (field === 'mp3') {
          // The audio is only counted: a real upload can be gigabytes.
          const size = await count(stream, ctx.options.mp3MaxSize, tooLarge('mp3', ctx.options.mp3MaxSize));
          form.mp3 = { size, filename: info.filename };
        } else if (field === 'picture') {
          const limit = ctx.options.pictureMaxSize;
          const slot = pictures.push(undefined) - 1;
          const blob = await ctx.blobs.put(capped(stream, limit, tooLarge('picture', limit)));
          pictures[slot] = { blob: blob.id, size: blob.size };
        } else await drain(stream.getReader());
        return field;
      },
    },
  );
  // Once an oversize part has been answered, the parse only winds down: its outcome no longer matters.
  parsing.catch(() => {});
  oversize.catch(() => {});
  let fields: Record<string, string>;
  try {
    ({ fields } = await Promise.race([parsing, oversize]));
  } catch (error) {
    // Pictures stored before the failure, or by parts still winding down after it, have no show to go to.
    const late = () => drop(pictures).then(() => ctx.persist());
    void parsing.then(late, late);
    throw error;
  }
  // Of several picture parts the last one counts (Django's request.FILES); the others are not kept.
  await drop(pictures.slice(0, -1));
  form.fields = fields;
  const picture = pictures.at(-1);
  if (picture) form.picture = picture;
  return form;
}

async function withPicture<T>(ctx: McCtx, form: UploadForm, work: () => T): Promise<T> {
  try {
    return work();
  } catch (error) {
    if (form.picture) await ctx.blobs.delete(form.picture.blob);
    throw error;
  }
}

export function uploadRoutes(app: EmulatorApp, ctx: McCtx): void {
  app.post(
    '/upload/',
    ctx.endpoint('upload', async (c) => {
      rateLimit(c, ctx);
      const me = requireViewer(c, ctx);
      const form = await readUpload(c, ctx, false);
      const key = await withPicture(ctx, form, () => {
        if (!form.mp3) validationError(ctx, { mp3: ['This field is required.'] });
        const seconds = Math.max(1, Math.round(form.mp3.size / BYTES_PER_SECOND));
        if (seconds < ctx.options.minAudioSeconds)
          validationError(ctx, {
            mp3: [`Uploads must be at least ${ctx.options.minAudioSeconds} seconds long.`],
          });
        const draft = newCloudcast(me, '', ctx.clock.now(), {
          audio_length: seconds,
          mp3_size: form.mp3.size,
        });
        applyFields(ctx, me, form, draft, false);
        let slug = slugify(draft.name);
        for (let n = 2; ctx.state.cloudcasts[storeKey(me, slug)]; n += 1)
          slug = `${slugify(draft.name)}-${n}`;
        draft.slug = slug;
        ctx.state.cloudcasts[storeKey(me, slug)] = draft;
        return `/${encodeURIComponent(me)}/${encodeURIComponent(slug)}/`;
      });
      return ok(c, ctx.options.uploadMessage, { key });
    }),
  );

  app.post(
    '/upload/:user/:slug/edit/',
    ctx.endpoint<'/upload/:user/:slug/edit/'>('edit', async (c) => {
      rateLimit(c, ctx);
      const me = requireViewer(c, ctx);
      const key = storeKey(c.req.param('user'), c.req.param('slug'));
      const cc = ctx.state.cloudcasts[key];
      if (!cc || (cc.user !== me && cc.draft))
        fail(404, 'ResourceNotFoundException', `No cloudcast found at ${key}`);
      if (cc.user !== me) fail(403, 'PermissionException', 'You can only edit your own uploads');
      const form = await readUpload(c, ctx, ctx.options.acceptUrlencodedEdit);
      const replaced = await withPicture(ctx, form, () => {
        // Read again: another edit (or a reset) may have changed the show while this body streamed in.
        const current = ctx.state.cloudcasts[key];
        if (!current) fail(404, 'ResourceNotFoundException', `No cloudcast found at ${key}`);
        if (form.mp3) validationError(ctx, { mp3: ['The audio of an upload cannot be replaced.'] });
        const edited = structuredClone(current);
        applyFields(ctx, me, form, edited, true);
        edited.updated = ctx.clock.now();
        ctx.state.cloudcasts[key] = edited;
        return edited.picture_blob === current.picture_blob ? null : current.picture_blob;
      });
      // A new picture replaces the old one, which nothing shows any more.
      if (replaced) await ctx.blobs.delete(replaced);
      return ok(c, ctx.options.editMessage, {
        key: `/${encodeURIComponent(cc.user)}/${encodeURIComponent(cc.slug)}/`,
      });
    }),
  );
}
