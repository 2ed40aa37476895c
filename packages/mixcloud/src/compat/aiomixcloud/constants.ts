/**
 * aiomixcloud's constants (1.0.6 values: `MP3_MAX_SIZE` is 4 GiB since 1.0.4, as Mixcloud documents).
 *
 * @module
 */
export { API_ROOT, MIXCLOUD_ROOT, OAUTH_ROOT, OEMBED_ROOT } from '../../http.js';
export { DESCRIPTION_MAX_SIZE, MP3_MAX_SIZE, PICTURE_MAX_SIZE, TAG_MAX_COUNT } from '../../show-fields.js';
