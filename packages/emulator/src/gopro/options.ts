import { defaultsOf, type OptionCatalog } from '../framework/index.js';

/** Points the spec leaves open, as options (defaults: lenient, like the real service appears to be). */
export interface GoproEmulatorOptions {
  readonly acceptBearer: boolean;
  readonly strictAccept: boolean;
  readonly acceptMismatchStatus: 406 | 415;
  readonly cdnUrlTtlSeconds: number;
  readonly maxPerPage: number;
  readonly inclusiveEnd: boolean;
  readonly signedMethodOnly: boolean;
  readonly requestIdHeader: string;
}

/** What each option means and where the spec discusses it. */
export const goproOptionCatalog: OptionCatalog<GoproEmulatorOptions> = {
  acceptBearer: {
    type: 'boolean',
    default: true,
    description: 'accept Authorization: Bearer <token> as well as the gp_access_token cookie',
    spec: 'gopro-biggo.md §A2, §A9',
  },
  strictAccept: {
    type: 'boolean',
    default: false,
    description:
      'refuse a request whose Accept is not the expected vendor type (the real behaviour is unknown)',
    spec: 'gopro-biggo.md §A9',
  },
  acceptMismatchStatus: {
    type: 'enum',
    values: [406, 415],
    default: 406,
    description: 'status of that refusal, with strictAccept on',
    spec: 'gopro-biggo.md §A9',
  },
  cdnUrlTtlSeconds: {
    type: 'integer',
    min: 1,
    default: 3600,
    description: 'lifetime of the signed CDN links (url, head, sprites), virtual seconds',
    spec: 'gopro-biggo.md §A3.3',
  },
  maxPerPage: {
    type: 'integer',
    min: 1,
    default: 1000,
    description: 'largest per_page honoured; larger values are clamped',
    spec: 'gopro-biggo.md §A3.1, §A5',
  },
  inclusiveEnd: {
    type: 'boolean',
    default: true,
    description:
      'the end date of captured_range is inclusive (the CLI help says so; the API rule is unknown)',
    spec: 'gopro-biggo.md §A3.1',
  },
  signedMethodOnly: {
    type: 'boolean',
    default: true,
    description:
      'a signed link answers only the method it was signed for: url GET, head HEAD (403 otherwise, as presigned S3 URLs do); off: both answer GET and HEAD',
    spec: 'gopro-biggo.md §A3.2 (head inferred)',
  },
  requestIdHeader: {
    type: 'string',
    default: 'x-request-id',
    description:
      'header carrying a fresh request id on every API answer (the real header is unverified); empty: none',
    spec: 'gopro-biggo.md §A9',
    check: (value) =>
      value === '' || /^[a-z0-9-]+$/i.test(value) ? undefined : 'must be a header name or empty',
  },
};

export const defaultGoproOptions: GoproEmulatorOptions = defaultsOf(goproOptionCatalog);
