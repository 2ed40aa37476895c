import { defaultsOf, type OptionCatalog } from '../framework/index.js';

/**
 * The Mixcloud emulator's options: every point the spec marks [guess] or unverified (§6 and inline), plus the
 * documented limits, so tests can make them small.
 */
export interface MixcloudEmulatorOptions {
  readonly oauthErrorStatus: 400 | 401;
  readonly maxLimit: number;
  readonly meRedirects: boolean;
  readonly autoApprove: boolean;
  readonly acceptUrlencodedEdit: boolean;
  readonly acceptBearer: boolean;
  readonly mp3MaxSize: number;
  readonly pictureMaxSize: number;
  readonly minAudioSeconds: number;
  readonly rateLimitPerMinute: number;
  readonly uploadErrorStatus: number;
  readonly uploadErrorType: string;
  readonly uploadErrorDetails: boolean;
  readonly uploadMessage: string;
  readonly editMessage: string;
  readonly unfollowMessage: string;
  readonly favoriteMessage: string;
  readonly unfavoriteMessage: string;
  readonly repostMessage: string;
  readonly unrepostMessage: string;
  readonly listenLaterMessage: string;
  readonly unlistenLaterMessage: string;
  readonly followSelfStatus: 400 | 404;
  readonly previousOnNewestPage: boolean;
  readonly strictDatePaging: boolean;
  readonly tagConnections: string;
  readonly tagKeyPrefix: 'discover' | 'genres';
  readonly listenLaterConnection: boolean;
}

const TAG_CONNECTIONS = ['popular', 'latest'];

const message = (fallback: string, action: string, spec = 'mixcloud.md §2.8, §6.2') => ({
  type: 'string' as const,
  default: fallback,
  description: `result.message of ${action}${fallback.includes('{target}') ? ' ({target}: the user or show name)' : ''}`,
  spec,
  check: (value: string) => (value.trim() === '' ? 'must not be empty' : undefined),
});

/** What each option means and where the spec discusses it. */
export const mixcloudOptionCatalog: OptionCatalog<MixcloudEmulatorOptions> = {
  oauthErrorStatus: {
    type: 'enum',
    values: [400, 401],
    default: 400,
    description: 'HTTP status of OAuthException answers (400 Facebook-style, 401 in one mock)',
    spec: 'mixcloud.md §2.14, §6.1',
  },
  maxLimit: {
    type: 'integer',
    min: 1,
    default: 100,
    description: 'largest `limit` honoured; larger values are clamped (the real maximum is unpublished)',
    spec: 'mixcloud.md §2.5, §6.3',
  },
  meRedirects: {
    type: 'boolean',
    default: false,
    description: '/me/ answers 302 to /<user>/ instead of the user itself',
    spec: 'mixcloud.md §2.7, §6.4',
  },
  autoApprove: {
    type: 'boolean',
    default: true,
    description: '/oauth/authorize approves at once; off: the user denies (error=access_denied)',
    spec: 'mixcloud.md §2.13, part 3.6',
  },
  acceptUrlencodedEdit: {
    type: 'boolean',
    default: true,
    description:
      'edit accepts urlencoded bodies (aiomixcloud sends them without a picture); real docs say multipart',
    spec: 'mixcloud.md §1.2, part 3.8',
  },
  acceptBearer: {
    type: 'boolean',
    default: true,
    description: 'accept the token in an Authorization: Bearer header as well as the access_token query',
    spec: 'mixcloud.md part 3.5',
  },
  mp3MaxSize: {
    type: 'integer',
    min: 0,
    default: 4_294_967_296,
    description: 'largest mp3 part in bytes (documented: 4 GiB)',
    spec: 'mixcloud.md §1.1, §2.11',
  },
  pictureMaxSize: {
    type: 'integer',
    min: 0,
    default: 10_485_760,
    description: 'largest picture part in bytes (documented: 10 MiB)',
    spec: 'mixcloud.md §1.1, §2.11',
  },
  minAudioSeconds: {
    type: 'integer',
    min: 0,
    default: 0,
    description:
      'shortest accepted upload in seconds of 128 kbit/s audio (one note claims 15 minutes; 0 = off)',
    spec: 'mixcloud.md §2.11',
  },
  rateLimitPerMinute: {
    type: 'integer',
    min: 0,
    default: 0,
    description: 'requests per token (or anonymous) per virtual minute before RateLimitException; 0 = off',
    spec: 'mixcloud.md §2.15, part 3.9',
  },
  uploadErrorStatus: {
    type: 'integer',
    min: 400,
    max: 499,
    default: 400,
    description: 'HTTP status of upload and edit validation errors (oversize parts included)',
    spec: 'mixcloud.md §2.14, §6.2',
  },
  uploadErrorType: {
    type: 'string',
    default: 'UploadFormException',
    description: 'error.type of upload and edit validation errors',
    spec: 'mixcloud.md §2.14, §6.2',
    check: (value) => (/^\w+$/.test(value) ? undefined : 'must be a word like UploadFormException'),
  },
  uploadErrorDetails: {
    type: 'boolean',
    default: true,
    description: 'validation errors carry error.details {field: [messages]}',
    spec: 'mixcloud.md §2.14, §6.2',
  },
  uploadMessage: message('Uploaded successfully', 'an upload', 'mixcloud.md §2.11'),
  editMessage: message('Updated successfully', 'an edit', 'mixcloud.md §2.12'),
  unfollowMessage: message('Unfollowed {target}', 'an unfollow'),
  favoriteMessage: message('Favorited {target}', 'a favorite'),
  unfavoriteMessage: message('Unfavorited {target}', 'an unfavorite'),
  repostMessage: message('Reposted {target}', 'a repost'),
  unrepostMessage: message('Unreposted {target}', 'an unrepost'),
  listenLaterMessage: message('Added to listen later: {target}', 'a listen-later'),
  unlistenLaterMessage: message('Removed from listen later: {target}', 'an un-listen-later'),
  followSelfStatus: {
    type: 'enum',
    values: [400, 404],
    default: 400,
    description: 'following yourself: 400 InvalidParameterException or 404 ResourceNotFoundException',
    spec: 'mixcloud.md part 3.7',
  },
  previousOnNewestPage: {
    type: 'boolean',
    default: true,
    description: 'date-paged lists carry paging.previous on their newest page too (aiomixcloud fixtures do)',
    spec: 'mixcloud.md §2.5, §6.6',
  },
  strictDatePaging: {
    type: 'boolean',
    default: true,
    description: 'until/since exclude the boundary second (< and >); off: include it (<= and >=)',
    spec: 'mixcloud.md part 3.4',
  },
  tagConnections: {
    type: 'string',
    default: TAG_CONNECTIONS.join(','),
    description: 'metadata.connections of a tag: a comma list of popular, latest (empty: none)',
    spec: 'mixcloud.md §2.4, §6.3',
    check: (value) => {
      const unknown = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '' && !TAG_CONNECTIONS.includes(s));
      return unknown.length > 0
        ? `unknown connection ${unknown.join(', ')} (known: popular, latest)`
        : undefined;
    },
  },
  tagKeyPrefix: {
    type: 'enum',
    values: ['discover', 'genres'],
    default: 'discover',
    description:
      'tag keys are /discover/<tag>/ (2014–2019 data, aiomixcloud) or /genres/<tag>/ (current docs)',
    spec: 'mixcloud.md §2.2',
  },
  listenLaterConnection: {
    type: 'boolean',
    default: false,
    description: 'users also list a listen-later connection, as older data did',
    spec: 'mixcloud.md §2.4',
  },
};

export const defaultMixcloudOptions: MixcloudEmulatorOptions = defaultsOf(mixcloudOptionCatalog);
