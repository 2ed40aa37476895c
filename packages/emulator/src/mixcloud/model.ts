/** The Mixcloud emulator's state: plain JSON, persisted as is. Times are epoch ms (virtual clock). */

/** A Mixcloud user. */
export interface McUser {
  username: string;
  name: string;
  biog: string;
  city: string;
  country: string;
  is_pro: boolean;
  created: number;
}

/** One section (a chapter or a track) of a cloudcast's tracklist, by start time in seconds. */
export interface McSection {
  chapter?: string;
  artist?: string;
  song?: string;
  start_time: number;
}

/** A cloudcast (an uploaded show) as the emulator keeps it. */
export interface McCloudcast {
  user: string;
  slug: string;
  name: string;
  description: string;
  tags: string[];
  sections: McSection[];
  created: number;
  updated: number;
  audio_length: number;
  play_count: number;
  unlisted: boolean;
  /** `YYYY-MM-DDTHH:MM:SSZ`: hidden from everyone but the owner until the virtual clock reaches it. */
  publish_date: string | null;
  /** Moved to drafts by `unpublish`: hidden from everyone but the owner. Absent in older saved states. */
  draft?: boolean;
  /** Whether the show has ever been public (a `publish_date` then no longer applies). */
  ever_public?: boolean;
  /** Pro hosts (`hosts-X-username`, X = 0–1), usernames. */
  hosts?: string[];
  disable_comments: boolean;
  hide_stats: boolean;
  /** Blob with the uploaded picture, if any (the mp3 is only counted, never kept). */
  picture_blob: string | null;
  mp3_size: number;
}

/** A relation with its own time: favorites, follows, listens are paged by when they happened. */
export interface McRelation {
  from: string;
  to: string;
  at: number;
}

/** A comment `user` left on the cloudcast or user `on`. */
export interface McComment {
  id: string;
  on: string;
  user: string;
  comment: string;
  at: number;
}

/** The Mixcloud emulator's state: users, cloudcasts, social relations, comments, OAuth clients and tokens. */
export interface McState {
  users: Record<string, McUser>;
  /** By key `/<user>/<slug>/`. */
  cloudcasts: Record<string, McCloudcast>;
  follows: McRelation[];
  favorites: McRelation[];
  reposts: McRelation[];
  listenLater: McRelation[];
  listens: McRelation[];
  comments: McComment[];
  /** access token → username. */
  tokens: Record<string, string>;
  clients: Record<string, { secret: string; redirectUris: string[] }>;
  /** single-use authorization codes. */
  codes: Record<string, { clientId: string; redirectUri: string; user: string }>;
}
