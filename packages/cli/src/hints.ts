/**
 * What to do about an error: one specific hint per error class (a rejected key names where the key came
 * from, a GoPro or Mixcloud token error says how to get a token, a busy port names `--port`, a missing file
 * names the path). "Run again with --verbose" only when nothing better can be said.
 *
 * @module
 */
import {
  AbortError,
  ApiError,
  ConnectionError,
  IntegrityError,
  InvalidInputError,
  RateLimitError,
  TimeoutError,
  UnsafePathError,
} from '@mediaferry/core';
import { resolvedConnection } from './connections.js';
import { CREDENTIALS, isServiceName } from './credentials.js';

/** The credentials of a service in words: its variables and its config fields. */
function whereKeysLive(service: string): string {
  if (!isServiceName(service)) return 'its credentials';
  const fields = CREDENTIALS[service].fields;
  return `${fields.map((f) => `$${f.env}`).join(' / ')} or \`mediaferry config set ${service} ${fields.map((f) => f.field).join('|')}\``;
}

function authHint(error: ApiError): string {
  const service = error.service.toLowerCase();
  const origin = resolvedConnection(service)?.origin;
  const from = origin
    ? `the credentials came from ${origin}`
    : `the credentials live in ${whereKeysLive(service)}`;
  switch (service) {
    case 'gopro':
      return `GoPro refused the access token (${from}); tokens expire: get a fresh gp_access_token (README.md, "Getting a GoPro token"), then \`mediaferry login gopro\``;
    case 'mixcloud':
      return `Mixcloud refused the access token (${from}); it may have been revoked: get a new one (README.md, "Getting a Mixcloud token"), then \`mediaferry login mixcloud\``;
    case 'b2':
      return `B2 refused the application key (${from}); it may have been revoked or deleted, or lack a capability: check it in the Backblaze web console (App Keys), then \`mediaferry login b2\``;
    case 'biggo':
      return `BigGo refused the client credentials (${from}); the client may have been removed or its secret regenerated: \`mediaferry login biggo\``;
    default:
      return `${service} refused the credentials (${from}); they may have been revoked`;
  }
}

/** A Node system error's code (`ENOENT`, `EADDRINUSE`…), looking through `cause` chains. */
function systemCode(error: unknown): { code: string; path?: string; port?: number } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const e = current as NodeJS.ErrnoException & { port?: number };
    if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code))
      return { code: e.code, ...(e.path ? { path: e.path } : {}), ...(e.port ? { port: e.port } : {}) };
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The hint for an error, or undefined when there is nothing better than the message itself. */
export function hintFor(error: unknown): string | undefined {
  if (error instanceof ApiError) {
    const service = error.service.toLowerCase();
    const tokenType = error.code === 'OAuthException' || error.code === 'invalid_request';
    if (error.status === 401 || (service === 'mixcloud' && tokenType)) return authHint(error);
    if (error.status === 403)
      return service === 'b2'
        ? `the B2 key lacks the capability for this (or is restricted to another bucket or prefix); ${authHint(error).replace(/^B2 refused the application key/, 'check the key')}`
        : `${service} refused access: the account may not own this item, or the credentials lack the permission`;
    if (error instanceof RateLimitError)
      return error.retryAfterMs === undefined
        ? `${service} is limiting requests: wait a little, then run again (what is done is skipped)`
        : `${service} asks to wait ${Math.ceil(error.retryAfterMs / 1000)} s before retrying: run again after that (what is done is skipped)`;
    if (error.status === 404)
      return `check the name: ${service} has nothing there (\`mediaferry ls\` shows what it has)`;
    if (error.status >= 500)
      return `${service} had a server error${error.requestId ? ` (request id ${error.requestId})` : ''}: run again later; what is done is skipped`;
    return undefined;
  }
  if (error instanceof TimeoutError)
    return 'the service did not answer in time: check the network, then run again (what is done is skipped)';
  if (error instanceof ConnectionError) {
    const host = /https?:\/\/[^\s/]+/.exec(error.message)?.[0];
    return `could not reach ${host ?? 'the service'}: check the network${host?.includes('127.0.0.1') ? ' (is the emulator still running? `mediaferry emulator`)' : ''}, or the MEDIAFERRY_<SERVICE>_URL variables`;
  }
  if (error instanceof AbortError) return 'interrupted: run again to finish (what is there is skipped)';
  if (error instanceof IntegrityError)
    return 'the bytes did not match their checksum, so nothing was kept: run again; if it repeats, the source may be corrupt';
  if (error instanceof UnsafePathError)
    return 'a name that would leave the destination folder (or pass through a link) was refused: nothing was written there';
  if (error instanceof InvalidInputError) return `check ${error.field}: ${error.rule}`;
  const system = systemCode(error);
  if (system) {
    switch (system.code) {
      case 'ENOENT':
        return system.path
          ? `no such file or folder: ${system.path}`
          : 'a file or folder named here does not exist';
      case 'EACCES':
      case 'EPERM':
        return `permission denied${system.path ? ` on ${system.path}` : ''}: check its owner and mode (ls -ld)`;
      case 'EADDRINUSE':
        return `the port${system.port ? ` ${system.port}` : ''} is taken by another program: choose another with --port (or --port 0 for any free port)`;
      case 'ENOSPC':
        return 'the disk is full: free some space, then run again (what is done is skipped)';
      case 'EISDIR':
      case 'ENOTDIR':
        return `a file and a folder are mixed up${system.path ? ` at ${system.path}` : ''}`;
      case 'ECONNREFUSED':
        return 'nothing listens there: is the emulator or the service running? check the MEDIAFERRY_<SERVICE>_URL variables';
      default:
        return undefined;
    }
  }
  return undefined;
}
