/**
 * The fields of an upload or an edit (spec §2.11–§2.12), checked before any byte is sent (Mixcloud validates
 * only once the whole mp3 has arrived), then laid out as multipart parts in aiomixcloud's order.
 *
 * @module
 */
import {
  type BodySource,
  fromPath,
  InvalidInputError,
  type MultipartPart,
  toBodySource,
  type UploadSource,
} from '@mediaferry/core';
import { type DateInput, formatDatetime } from './datetime.js';

export const MP3_MAX_SIZE = 4_294_967_296;
export const PICTURE_MAX_SIZE = 10_485_760;
export const DESCRIPTION_MAX_SIZE = 1000;
export const TAG_MAX_COUNT = 5;
/** Pro accounts may name up to two hosts. */
export const HOST_MAX_COUNT = 2;

/** A tracklist entry: a chapter, or a track with both artist and song. */
export interface Section {
  readonly chapter?: string | undefined;
  readonly artist?: string | undefined;
  readonly song?: string | undefined;
  /** Whole seconds from the start. */
  readonly start_time?: number | undefined;
}

/**
 * What an upload takes as a file: **a string is a path** (never content); bytes, a `Blob`, `fromPath(…)`, a
 * factory of streams or a stream.
 */
export type FileInput = UploadSource;

/** The fields a show has, on upload and on edit. */
export interface ShowFields {
  /** A picture file (≤ 10 MiB). */
  readonly picture?: FileInput | undefined;
  /** At most 1000 characters. */
  readonly description?: string | undefined;
  /** At most 5. On edit, any tags replace all of them. */
  readonly tags?: readonly string[] | undefined;
  /** Pro: when the show goes public. */
  readonly publishDate?: DateInput | undefined;
  /** Pro. */
  readonly disableComments?: boolean | undefined;
  /** Pro: hides play, favorite and repost counts. */
  readonly hideStats?: boolean | undefined;
  /** Reachable by its link only. */
  readonly unlisted?: boolean | undefined;
  /** On edit, any sections replace the whole tracklist. */
  readonly sections?: readonly Section[] | undefined;
  /** Pro: up to two co-hosts (usernames); `[]` on edit removes them. */
  readonly hosts?: readonly string[] | undefined;
}

/** A string is a path; everything else is taken as it is. */
export function fileSource(input: FileInput): Exclude<UploadSource, string> {
  return typeof input === 'string' ? fromPath(input) : input;
}

/** The file name a part is sent with: the path's base name, else `fallback`. */
export function fileNameOf(input: FileInput, fallback: string): string {
  const path =
    typeof input === 'string'
      ? input
      : typeof input === 'object' && input !== null && 'kind' in input && input.kind === 'file'
        ? input.path
        : undefined;
  return path?.split(/[\\/]/).pop() || fallback;
}

/** Opens a file input, refusing one over `max` bytes. */
export async function openFile(input: FileInput, field: string, max: number): Promise<BodySource> {
  if (input === undefined || input === null || input === '')
    throw new InvalidInputError(field, 'is required: a path, bytes, a Blob or a stream');
  const source = await toBodySource(fileSource(input), { field });
  if (source.size !== undefined && source.size > max)
    throw new InvalidInputError(field, `${field} file size must be ${max} bytes at most`);
  return source;
}

function pictureType(filename: string): string {
  const extension = filename.toLowerCase().split('.').pop();
  if (extension === 'png') return 'image/png';
  if (extension === 'gif') return 'image/gif';
  if (extension === 'webp') return 'image/webp';
  return 'image/jpeg';
}

const SECTION_FIELDS = new Set(['chapter', 'artist', 'song', 'start_time']);

/** Checks what can be checked without opening files. */
export function checkShowFields(fields: ShowFields): void {
  if (fields.description !== undefined) {
    if (typeof fields.description !== 'string')
      throw new InvalidInputError('description', 'must be a string');
    if ([...fields.description].length > DESCRIPTION_MAX_SIZE)
      throw new InvalidInputError(
        'description',
        `description size must be ${DESCRIPTION_MAX_SIZE} characters at most`,
      );
  }
  if (fields.tags !== undefined) {
    if (fields.tags.length > TAG_MAX_COUNT)
      throw new InvalidInputError('tags', `an upload must have ${TAG_MAX_COUNT} tags at most`);
    fields.tags.forEach((tag, i) => {
      if (typeof tag !== 'string' || tag.trim() === '')
        throw new InvalidInputError(`tags[${i}]`, 'must be a non-empty string');
    });
  }
  if (fields.hosts !== undefined && fields.hosts.length > HOST_MAX_COUNT)
    throw new InvalidInputError('hosts', `a show has ${HOST_MAX_COUNT} hosts at most`);
  fields.sections?.forEach((section, i) => {
    const unknown = Object.keys(section).filter((k) => !SECTION_FIELDS.has(k));
    if (unknown.length > 0)
      throw new InvalidInputError(
        `sections[${i}]`,
        `unknown field ${unknown.join(', ')} (chapter, artist, song, start_time)`,
      );
    if (section.chapter === undefined && (section.artist === undefined || section.song === undefined))
      throw new InvalidInputError(
        `sections[${i}]`,
        'a section is a chapter, or a track with both artist and song',
      );
    if (
      section.start_time !== undefined &&
      (!Number.isSafeInteger(section.start_time) || section.start_time < 0)
    )
      throw new InvalidInputError(`sections[${i}].start_time`, 'must be whole seconds ≥ 0');
  });
  if (fields.publishDate !== undefined) formatDatetime(fields.publishDate, 'publishDate');
}

/**
 * The parts after `name` and `mp3`, in aiomixcloud's order: picture, description, publish_date, the flags
 * (sent as `1`: Mixcloud reads form values), tags, sections, then hosts.
 */
export async function showParts(fields: ShowFields): Promise<MultipartPart[]> {
  checkShowFields(fields);
  const parts: MultipartPart[] = [];
  if (fields.picture !== undefined) {
    const picture = await openFile(fields.picture, 'picture', PICTURE_MAX_SIZE);
    const filename = fileNameOf(fields.picture, 'picture.jpg');
    parts.push({ name: 'picture', filename, contentType: pictureType(filename), source: picture });
  }
  if (fields.description !== undefined) parts.push({ name: 'description', value: fields.description });
  if (fields.publishDate !== undefined)
    parts.push({ name: 'publish_date', value: formatDatetime(fields.publishDate, 'publishDate') });
  if (fields.disableComments) parts.push({ name: 'disable_comments', value: '1' });
  if (fields.hideStats) parts.push({ name: 'hide_stats', value: '1' });
  if (fields.unlisted) parts.push({ name: 'unlisted', value: '1' });
  for (const [i, tag] of (fields.tags ?? []).entries()) parts.push({ name: `tags-${i}-tag`, value: tag });
  fields.sections?.forEach((section, i) => {
    for (const [key, value] of Object.entries(section))
      if (value !== undefined) parts.push({ name: `sections-${i}-${key}`, value: String(value) });
  });
  if (fields.hosts !== undefined) {
    if (fields.hosts.length === 0) parts.push({ name: 'hosts-0-username', value: '' });
    for (const [i, host] of fields.hosts.entries()) parts.push({ name: `hosts-${i}-username`, value: host });
  }
  return parts;
}
