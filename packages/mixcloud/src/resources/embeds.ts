/**
 * The player widget of a show: `mixcloud.embeds.json|html(ref, display)` and `mixcloud.oembed(target, params)`.
 * None of them needs or sends the token.
 *
 * @module
 */
import {
  type APIPromise,
  type CallOptions,
  InvalidInputError,
  type Query,
  type RequestOptions,
} from '@mediaferry/core';
import { callOptions, deferred, type MixcloudContext } from '../http.js';
import { type CloudcastRef, cloudcastPath } from '../keys.js';
import { type EmbedJson, embedJsonSchema, type OEmbed, oembedSchema } from '../models.js';

/** The widget's size and colour. */
export interface Display {
  /** Pixels, a whole number ≥ 1. */
  readonly width?: number | undefined;
  /** Pixels; 60 gives the mini player. */
  readonly height?: number | undefined;
  /** Six hex digits, without `#`. */
  readonly color?: string | undefined;
}

/** The query of a {@link Display}; bad values are an `InvalidInputError`. */
export function displayQuery(display: Display = {}): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const field of ['width', 'height'] as const) {
    const value = display[field];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new InvalidInputError(field, 'must be a positive whole number');
    out[field] = value;
  }
  if (display.color !== undefined) {
    if (typeof display.color !== 'string' || !/^[0-9a-fA-F]{6}$/.test(display.color))
      throw new InvalidInputError('color', 'must be 6 hex digits, without #');
    out.color = display.color;
  }
  return out;
}

/** The request of a show's widget, as JSON or as HTML. */
export function embedRequest(
  ref: CloudcastRef,
  kind: 'json' | 'html',
  display: Display = {},
  options: CallOptions = {},
): RequestOptions {
  return {
    ...callOptions(options),
    path: `${cloudcastPath(ref)}embed-${kind}/`,
    endpoint: `embed_${kind}`,
    auth: false,
    query: displayQuery(display),
  };
}

/** The widget of a show. */
export class Embeds {
  readonly #context: MixcloudContext;

  /** @hidden Mounted by `MixcloudClient`. */
  constructor(context: MixcloudContext) {
    this.#context = context;
  }

  /** The widget as JSON (`{ html }`). */
  json(ref: CloudcastRef, display?: Display, options?: CallOptions): APIPromise<EmbedJson> {
    return deferred(() =>
      this.#context.http.call({ ...embedRequest(ref, 'json', display, options), schema: embedJsonSchema }),
    );
  }

  /** The widget as HTML. */
  html(ref: CloudcastRef, display?: Display, options?: CallOptions): APIPromise<string> {
    return deferred(() => this.#context.http.callText(embedRequest(ref, 'html', display, options)));
  }
}

/** oEmbed's parameters. */
export interface OEmbedParams extends Display {
  /** `json` (default) or `xml` (the answer is then the XML text). */
  readonly format?: 'json' | 'xml' | undefined;
}

/** The page a target names: a mixcloud.com URL as given, else the site URL of a show. */
function pageUrl(context: MixcloudContext, target: CloudcastRef): string {
  if (typeof target === 'string' && /^https?:\/\//i.test(target)) return target;
  return `${context.roots.site}${cloudcastPath(target, 'target')}`;
}

/** The oEmbed request of a show (or of any mixcloud.com page given by its URL). */
export function oembedRequest(
  context: MixcloudContext,
  target: CloudcastRef,
  params: OEmbedParams = {},
  options: CallOptions = {},
): RequestOptions & { readonly format: 'json' | 'xml' } {
  const { format = 'json', ...display } = params;
  if (format !== 'json' && format !== 'xml') throw new InvalidInputError('format', 'must be json or xml');
  const query: Query = { format, ...displayQuery(display), url: pageUrl(context, target) };
  return {
    ...callOptions(options),
    path: `${context.roots.oembed}/`,
    endpoint: 'oembed',
    auth: false,
    query,
    format,
  };
}

/** oEmbed of a show (or of any mixcloud.com page given by its URL). */
export function oembed(
  context: MixcloudContext,
  target: CloudcastRef,
  params: OEmbedParams = {},
  options: CallOptions = {},
): APIPromise<OEmbed | string> {
  return deferred<OEmbed | string>(() => {
    const { format, ...request } = oembedRequest(context, target, params, options);
    if (format === 'xml') return context.http.callText(request);
    return context.http.call({ ...request, schema: oembedSchema });
  });
}
