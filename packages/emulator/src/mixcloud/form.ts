/** The fields of an upload or edit (spec §2.11, §2.12), applied to a show with Mixcloud's rules. */
import { addError, type FieldErrors, validationError } from './errors.js';
import type { McCloudcast, McSection } from './model.js';
import { type McCtx, slugify } from './views.js';
import { isListed, wasPublic } from './visibility.js';

/** What an upload or edit request carried. */
export interface UploadForm {
  fields: Record<string, string>;
  mp3?: { size: number; filename: string };
  picture?: { blob: string; size: number };
}

/** A show with every field at its default (not stored). */
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

const truthy = (value: string | undefined) =>
  value !== undefined && ['1', 'true', 'True', 'on', 'yes'].includes(value);

const indexed = (fields: Record<string, string>, pattern: RegExp) =>
  Object.keys(fields)
    .filter((k) => pattern.test(k))
    .map((k) => ({ key: k, index: Number(pattern.exec(k)![1]) }))
    .sort((a, b) => a.index - b.index);

function applyTags(f: Record<string, string>, target: McCloudcast, errors: FieldErrors): void {
  const tags = indexed(f, /^tags-(\d+)-tag$/);
  if (tags.length === 0) return;
  if (tags.some((t) => t.index > 4) || tags.length > 5)
    addError(errors, 'tags', 'An upload can have at most 5 tags.');
  target.tags = tags.map((t) => f[t.key]!).filter(Boolean);
}

function applySections(f: Record<string, string>, target: McCloudcast, errors: FieldErrors): void {
  const keys = Object.keys(f).filter((k) => /^sections-\d+-(artist|song|chapter|start_time)$/.test(k));
  if (keys.length === 0) return;
  const byIndex = new Map<number, Record<string, string>>();
  for (const key of keys) {
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

/**
 * `hosts-X-username`, X = 0–1, Pro only: any hosts field replaces every host; users who cannot host (here:
 * unknown users, or the owner) are silently ignored; `hosts-0-username=` (empty) removes them all.
 */
function applyHosts(
  ctx: McCtx,
  f: Record<string, string>,
  target: McCloudcast,
  errors: FieldErrors,
  pro: boolean,
) {
  const hosts = indexed(f, /^hosts-(\d+)-username$/);
  if (hosts.length === 0) return;
  if (!pro) return addError(errors, 'hosts', 'Only available to Pro users.');
  if (hosts.some((h) => h.index > 1))
    return addError(errors, 'hosts', 'A show can have at most 2 hosts (hosts-0, hosts-1).');
  target.hosts = [
    ...new Set(
      hosts
        .map((h) => f[h.key]!.trim())
        .filter((name) => name !== '' && name !== target.user && ctx.state.users[name] !== undefined),
    ),
  ];
}

/** `unlisted`, `publish`, `unpublish` (edit: only one of them) and `publish_date` (Pro, never-public shows). */
function applyVisibility(
  ctx: McCtx,
  f: Record<string, string>,
  target: McCloudcast,
  errors: FieldErrors,
  editing: boolean,
  pro: boolean,
): void {
  const publicBefore = editing && wasPublic(ctx, target);
  const sent = (editing ? ['unlisted', 'publish', 'unpublish'] : ['unlisted']).filter(
    (k) => f[k] !== undefined,
  );
  if (sent.length > 1)
    addError(errors, 'unlisted', 'Only one of unlisted, publish and unpublish may be sent.');
  if (f.publish_date !== undefined) {
    if (!pro) addError(errors, 'publish_date', 'Only available to Pro users.');
    else if (
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(f.publish_date) ||
      Number.isNaN(Date.parse(f.publish_date))
    )
      addError(errors, 'publish_date', 'Use YYYY-MM-DDTHH:MM:SSZ (UTC).');
    // A publish date applies only to uploads that were never public (spec §2.11).
    else if (!publicBefore) target.publish_date = f.publish_date;
  }
  if (f.unlisted !== undefined) target.unlisted = truthy(f.unlisted);
  if (truthy(f.publish)) {
    target.unlisted = false;
    target.draft = false;
    target.publish_date = null;
  }
  if (truthy(f.unpublish)) target.draft = true;
  // An unlisted upload ignores publish_date and becomes private at once (spec §2.11).
  if (target.unlisted) target.publish_date = null;
}

/** Applies the §2.11/§2.12 field rules to `target`; throws the upload validation error, changing nothing stored. */
export function applyFields(
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
  if (!target.name) addError(errors, 'name', 'This field is required.');
  if (f.description !== undefined) {
    if ([...f.description].length > 1000)
      addError(errors, 'description', 'Ensure this value has at most 1000 characters.');
    target.description = f.description;
  }
  applyTags(f, target, errors);
  applySections(f, target, errors);
  for (const flag of ['disable_comments', 'hide_stats'] as const) {
    if (f[flag] === undefined) continue;
    if (!pro) addError(errors, flag, 'Only available to Pro users.');
    target[flag] = truthy(f[flag]);
  }
  applyHosts(ctx, f, target, errors, pro);
  applyVisibility(ctx, f, target, errors, editing, pro);
  if (form.picture) target.picture_blob = form.picture.blob;
  if (Object.keys(errors).length > 0) validationError(ctx, errors);
  if (isListed(ctx, target)) target.ever_public = true;
}
