import { UsageError } from './errors.js';

/** Where a copy reads or writes, parsed from the command line. */
export type Location =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'b2'; readonly bucket: string; readonly prefix: string }
  | { readonly kind: 'gopro'; readonly from: Date; readonly to: Date }
  | { readonly kind: 'gopro'; readonly mediaId: string }
  | { readonly kind: 'biggo'; readonly videoId?: string | undefined }
  | { readonly kind: 'mixcloud'; readonly user: string; readonly slug: string | undefined };

const SCHEMES = ['b2', 'gopro', 'biggo', 'mixcloud'] as const;
const EXAMPLES =
  './clips  b2://bucket/prefix  b2://bucket/file.mp4  gopro://2026-10-01..2026-10-31  gopro://MEDIA_ID  biggo://  biggo://VIDEO_ID  mixcloud://user[/slug]';

function day(text: string, which: string, uri: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw new UsageError(
      `${uri}: ${which} date must be YYYY-MM-DD, got "${text}"`,
      'e.g. gopro://2026-10-01..2026-10-31',
    );
  }
  return date;
}

/** Parses `SRC`/`DST`: a local path, or one of the service URIs. Anything else with `scheme://` is refused. */
export function parseLocation(text: string): Location {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(text);
  if (!scheme) {
    if (text === '') throw new UsageError('empty location', `expected one of: ${EXAMPLES}`);
    // `b2:/bucket`, `b2:bucket`: a service URI with a typo, never a local folder named `b2:`.
    const typo = /^([a-z][a-z0-9+.-]*):\/?(.*)$/i.exec(text);
    const known = typo && (SCHEMES as readonly string[]).includes(typo[1]!.toLowerCase());
    if (known)
      throw new UsageError(
        `${text} is not a valid location: ${typo[1]!.toLowerCase()}:// URIs take two slashes`,
        `did you mean ${typo[1]!.toLowerCase()}://${typo[2]}? (a local path with a colon: write ./${text})`,
      );
    return { kind: 'local', path: text };
  }
  const name = scheme[1]!.toLowerCase();
  const rest = scheme[2]!;
  switch (name) {
    case 'b2': {
      const [bucket = '', ...prefix] = rest.split('/');
      if (!/^[A-Za-z0-9-]{6,63}$/.test(bucket)) {
        throw new UsageError(
          `${text}: "${bucket}" is not a B2 bucket name (6-63 letters, digits and hyphens)`,
          'e.g. b2://my-bucket/clips/',
        );
      }
      return { kind: 'b2', bucket, prefix: prefix.join('/') };
    }
    case 'gopro': {
      const bare = rest.replace(/\/$/, '');
      if (/^[A-Za-z0-9_-]+$/.test(bare) && !/^\d{4}-\d{2}-\d{2}$/.test(bare))
        return { kind: 'gopro', mediaId: bare };
      const range = /^([^.]*)\.\.([^.]*)$/.exec(bare);
      if (!range)
        throw new UsageError(
          `${text}: expected a date range FROM..TO or a media id`,
          'e.g. gopro://2026-10-01..2026-10-31 or gopro://<media id>',
        );
      const from = day(range[1]!, 'start', text);
      const to = day(range[2]!, 'end', text);
      if (to < from) throw new UsageError(`${text}: the end date is before the start date`);
      // The end day is inclusive: up to its last millisecond.
      return { kind: 'gopro', from, to: new Date(to.getTime() + 86_400_000 - 1) };
    }
    case 'biggo': {
      const videoId = rest.replace(/\/$/, '');
      if (videoId === '') return { kind: 'biggo' };
      if (!/^[A-Za-z0-9_-]+$/.test(videoId))
        throw new UsageError(
          `${text}: expected biggo:// (your videos) or biggo://VIDEO_ID`,
          'video ids are letters, digits, - and _',
        );
      return { kind: 'biggo', videoId };
    }
    case 'mixcloud': {
      const [user = '', slug, ...more] = rest.replace(/\/$/, '').split('/');
      if (
        !/^[A-Za-z0-9_-]+$/.test(user) ||
        more.length > 0 ||
        (slug !== undefined && !/^[A-Za-z0-9_-]+$/.test(slug))
      ) {
        throw new UsageError(`${text}: expected mixcloud://user or mixcloud://user/slug`);
      }
      return { kind: 'mixcloud', user, slug };
    }
    default:
      throw new UsageError(
        `unknown scheme ${name}:// in ${text}`,
        `supported: ${SCHEMES.map((s) => `${s}://`).join(' ')} or a local path`,
      );
  }
}
