import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail, readMultipart } from '../framework/index.js';
import { rateLimit, requireViewer } from './auth.js';
import type { McCloudcast, McRelation, McSection } from './model.js';
import type { McCtx } from './views.js';

const ACTIONS = { favorite: 'favorites', repost: 'reposts', 'listen-later': 'listenLater' } as const;
const MESSAGES = {
  favorite: ['Favorited', 'Unfavorited'],
  repost: ['Reposted', 'Unreposted'],
  'listen-later': ['Added to listen later:', 'Removed from listen later:'],
} as const;

const ok = (c: EmulatorContext, message: string, extra: Record<string, unknown> = {}) =>
  c.json({ result: { success: true, message, ...extra } });

/** DELETE, or POST with `method=delete` (spec §2.8). */
async function isDelete(c: EmulatorContext): Promise<boolean> {
  if (c.req.method === 'DELETE') return true;
  if (new URL(c.req.url).searchParams.get('method') === 'delete') return true;
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded'))
    return new URLSearchParams(await c.req.text()).get('method') === 'delete';
  return false;
}

function toggle(list: McRelation[], from: string, to: string, on: boolean, at: number): void {
  const index = list.findIndex((r) => r.from === from && r.to === to);
  if (on && index < 0) list.push({ from, to, at });
  if (!on && index >= 0) list.splice(index, 1);
}

/** A cloudcast with every field at its default (not stored). */
export function newCloudcast(
  user: string,
  name: string,
  created: number,
  fields: Partial<McCloudcast> = {},
): McCloudcast {
  return {
    user,
    slug: slugify(name),
    name,
    description: '',
    tags: [],
    sections: [],
    created,
    updated: created,
    audio_length: 3600,
    play_count: 0,
    unlisted: false,
    publish_date: null,
    disable_comments: false,
    hide_stats: false,
    picture_blob: null,
    mp3_size: 0,
    ...fields,
  };
}

/** Mixcloud's slug of a name: lower case, runs of anything else than letters and digits become `-`. */
export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'untitled'
  );
}

type FieldErrors = Record<string, string[]>;

function addError(errors: FieldErrors, field: string, message: string): void {
  errors[field] = [...(errors[field] ?? []), message];
}

function validationError(details: FieldErrors): never {
  const first = Object.entries(details)[0];
  // The real upload error shape is unverified (spec §2.14); this follows the spec's suggestion.
  fail(400, 'UploadFormException', first ? `${first[0]}: ${first[1]![0]}` : 'invalid upload');
}

interface UploadForm {
  fields: Record<string, string>;
  mp3?: { size: number; filename: string };
  picture?: { blob: string; size: number };
}

async function readUpload(c: EmulatorContext, ctx: McCtx, allowUrlencoded: boolean): Promise<UploadForm> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded') && allowUrlencoded) {
    return { fields: Object.fromEntries(new URLSearchParams(await c.req.text())) };
  }
  if (!type.startsWith('multipart/form-data'))
    fail(400, 'UploadFormException', 'uploads must be multipart/form-data');
  const form: UploadForm = { fields: {} };
  const { fields } = await readMultipart(c.req.raw, {
    onFile: async (field, stream, info) => {
      if (field === 'mp3') {
        // The audio is only counted: a real upload can be gigabytes.
        let size = 0;
        for await (const chunk of stream) {
          size += chunk.byteLength;
          if (size > ctx.options.mp3MaxSize)
            fail(400, 'UploadFormException', `mp3: file is larger than ${ctx.options.mp3MaxSize} bytes`);
        }
        form.mp3 = { size, filename: info.filename };
      } else if (field === 'picture') {
        const blob = await ctx.blobs.put(stream, { limit: ctx.options.pictureMaxSize });
        form.picture = { blob: blob.id, size: blob.size };
      } else {
        for await (const _ of stream) void _;
      }
      return field;
    },
  });
  form.fields = fields;
  return form;
}

const truthy = (value: string | undefined) =>
  value !== undefined && ['1', 'true', 'True', 'on', 'yes'].includes(value);

/** Applies the §2.11 field rules; `base` is the cloudcast being edited, if any. */
function applyFields(
  ctx: McCtx,
  user: string,
  form: UploadForm,
  target: McCloudcast,
  editing: boolean,
): void {
  const f = form.fields;
  const errors: FieldErrors = {};
  const pro = ctx.state.users[user]?.is_pro ?? false;
  if (f.name !== undefined) target.name = f.name;
  if (!target.name) errors.name = ['This field is required.'];
  if (f.description !== undefined) {
    if ([...f.description].length > 1000)
      errors.description = ['Ensure this value has at most 1000 characters.'];
    target.description = f.description;
  }
  const tagKeys = Object.keys(f).filter((k) => /^tags-\d+-tag$/.test(k));
  if (tagKeys.length > 0) {
    const indexes = tagKeys.map((k) => Number(k.split('-')[1]));
    if (indexes.some((i) => i > 4) || tagKeys.length > 5)
      errors.tags = ['An upload can have at most 5 tags.'];
    target.tags = tagKeys
      .sort()
      .map((k) => f[k]!)
      .filter(Boolean);
  }
  const sectionKeys = Object.keys(f).filter((k) => /^sections-\d+-(artist|song|chapter|start_time)$/.test(k));
  if (sectionKeys.length > 0) {
    const byIndex = new Map<number, Record<string, string>>();
    for (const key of sectionKeys) {
      const [, index, field] = /^sections-(\d+)-(.+)$/.exec(key)!;
      const entry = byIndex.get(Number(index)) ?? {};
      entry[field!] = f[key]!;
      byIndex.set(Number(index), entry);
    }
    const sections: McSection[] = [];
    for (const [index, s] of [...byIndex.entries()].sort(([a], [b]) => a - b)) {
      const start = Number(s.start_time ?? 0);
      if (!Number.isInteger(start) || start < 0)
        addError(errors, `sections-${index}-start_time`, 'Enter a whole number.');
      if (s.chapter !== undefined) sections.push({ chapter: s.chapter, start_time: start });
      else if (s.artist && s.song) sections.push({ artist: s.artist, song: s.song, start_time: start });
      else addError(errors, `sections-${index}`, 'A track section needs both artist and song.');
    }
    target.sections = sections;
  }
  for (const flag of ['disable_comments', 'hide_stats'] as const) {
    if (f[flag] === undefined) continue;
    if (!pro) addError(errors, flag, 'Only available to Pro users.');
    target[flag] = truthy(f[flag]);
  }
  if (f.publish_date !== undefined) {
    if (!pro) errors.publish_date = ['Only available to Pro users.'];
    else if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(f.publish_date))
      errors.publish_date = ['Use YYYY-MM-DDTHH:MM:SSZ (UTC).'];
    target.publish_date = f.publish_date;
  }
  const visibility = ['unlisted', 'publish', 'unpublish'].filter(
    (k) => f[k] !== undefined && (!editing ? k === 'unlisted' : true),
  );
  if (editing && visibility.length > 1)
    errors.unlisted = ['Only one of unlisted, publish and unpublish may be sent.'];
  if (f.unlisted !== undefined) target.unlisted = truthy(f.unlisted);
  if (f.publish !== undefined && truthy(f.publish)) target.unlisted = false;
  // An unlisted upload ignores publish_date (spec §2.11).
  if (target.unlisted) target.publish_date = null;
  if (form.picture) target.picture_blob = form.picture.blob;
  if (Object.keys(errors).length > 0) validationError(errors);
}

export function writeRoutes(app: EmulatorApp, ctx: McCtx): void {
  const follow = ctx.endpoint<'/:user/follow/'>('follow', async (c) => {
    rateLimit(c, ctx);
    const me = requireViewer(c, ctx);
    const target = c.req.param('user');
    if (!ctx.state.users[target])
      fail(404, 'ResourceNotFoundException', `No user found with username ${target}`);
    if (target === me) fail(400, 'InvalidParameterException', 'You cannot follow yourself');
    const remove = await isDelete(c);
    toggle(ctx.state.follows, me, target, !remove, ctx.clock.now());
    return ok(c, remove ? `Unfollowed ${target}` : `Now following ${target}`);
  });
  app.post('/:user/follow/', follow);
  app.delete('/:user/follow/', follow);

  for (const [action, list] of Object.entries(ACTIONS) as Array<
    [keyof typeof ACTIONS, (typeof ACTIONS)[keyof typeof ACTIONS]]
  >) {
    const handler = ctx.endpoint<'/:user/:slug/x/'>(action.replace('-', '_'), async (c) => {
      rateLimit(c, ctx);
      const me = requireViewer(c, ctx);
      const key = `/${c.req.param('user')}/${c.req.param('slug')}/`;
      const cc = ctx.state.cloudcasts[key];
      if (!cc) fail(404, 'ResourceNotFoundException', `No cloudcast found at ${key}`);
      const remove = await isDelete(c);
      toggle(ctx.state[list], me, key, !remove, ctx.clock.now());
      return ok(c, `${MESSAGES[action][remove ? 1 : 0]} ${cc.name}`);
    });
    app.post(`/:user/:slug/${action}/`, handler);
    app.delete(`/:user/:slug/${action}/`, handler);
  }

  app.post(
    '/upload/',
    ctx.endpoint('upload', async (c) => {
      rateLimit(c, ctx);
      const me = requireViewer(c, ctx);
      const form = await readUpload(c, ctx, false);
      if (!form.mp3) validationError({ mp3: ['This field is required.'] });
      const now = ctx.clock.now();
      const draft = newCloudcast(me, '', now, {
        audio_length: Math.max(1, Math.round(form.mp3.size / 16_000)),
        mp3_size: form.mp3.size,
      });
      applyFields(ctx, me, form, draft, false);
      let slug = slugify(draft.name);
      for (let n = 2; ctx.state.cloudcasts[`/${me}/${slug}/`]; n += 1) slug = `${slugify(draft.name)}-${n}`;
      draft.slug = slug;
      ctx.state.cloudcasts[`/${me}/${slug}/`] = draft;
      return ok(c, 'Uploaded successfully', { key: `/${me}/${slug}/` });
    }),
  );

  app.post(
    '/upload/:user/:slug/edit/',
    ctx.endpoint<'/upload/:user/:slug/edit/'>('edit', async (c) => {
      rateLimit(c, ctx);
      const me = requireViewer(c, ctx);
      const key = `/${c.req.param('user')}/${c.req.param('slug')}/`;
      const cc = ctx.state.cloudcasts[key];
      if (!cc) fail(404, 'ResourceNotFoundException', `No cloudcast found at ${key}`);
      if (cc.user !== me) fail(403, 'PermissionException', 'You can only edit your own uploads');
      const form = await readUpload(c, ctx, ctx.options.acceptUrlencodedEdit);
      if (form.mp3) validationError({ mp3: ['The audio of an upload cannot be replaced.'] });
      const edited = structuredClone(cc);
      applyFields(ctx, me, form, edited, true);
      edited.updated = ctx.clock.now();
      ctx.state.cloudcasts[key] = edited;
      return ok(c, 'Updated successfully', { key });
    }),
  );
}
