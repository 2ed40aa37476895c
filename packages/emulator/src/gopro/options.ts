/** Points the spec leaves open, as options (defaults: lenient, like the real service appears to be). */
export interface GoproEmulatorOptions {
  /** Accept `Authorization: Bearer <token>` as well as the `gp_access_token` cookie. */
  readonly acceptBearer: boolean;
  /** Answer 406 when the Accept header is not the expected vendor type (the real behaviour is unknown). */
  readonly strictAccept: boolean;
  /** Lifetime of signed CDN URLs, virtual seconds. */
  readonly cdnUrlTtlSeconds: number;
  /** Largest `per_page` honoured; larger values are clamped. */
  readonly maxPerPage: number;
  /** Inclusive end date in `captured_range` (the CLI help says inclusive; the real rule is unverified). */
  readonly inclusiveEnd: boolean;
}

export const defaultGoproOptions: GoproEmulatorOptions = {
  acceptBearer: true,
  strictAccept: false,
  cdnUrlTtlSeconds: 3600,
  maxPerPage: 1000,
  inclusiveEnd: true,
};
