/**
 * A B2 session over plain HTTP requests (no client of ours): raw calls, uploads and downloads against the
 * B2 emulator, in-process or over a real loopback socket.
 */
import { createHash } from 'node:crypto';
import { b2Service, createEmulator } from '../../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: wire JSON read loosely in assertions
export type Json = Record<string, any>;

export const sha1 = (data: string | Uint8Array) => createHash('sha1').update(data).digest('hex');

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  json(): Json;
}

export interface UploadTarget {
  readonly uploadUrl: string;
  readonly authorizationToken: string;
}

export interface SessionOptions {
  /** Emulator options (part sizes…). */
  readonly options?: Record<string, unknown>;
  readonly seed?: string;
  readonly data?: string;
  /** Serve on 127.0.0.1 and talk over a real socket instead of in-process. */
  readonly listen?: boolean;
  /** Sees every answer, named by its call (`b2_upload_file`, `download_file_by_name`…). */
  readonly onAnswer?: (call: string, answer: Answer) => void;
}

/** An SSE-C key as b2sdk sends it: base64 of 32 bytes, and the base64 MD5 of those bytes. */
export function customerKey(fill: number): { key: string; md5: string } {
  const bytes = Buffer.alloc(32, fill);
  return { key: bytes.toString('base64'), md5: createHash('md5').update(bytes).digest('base64') };
}

export function sseCHeaders(secret: { key: string; md5: string }): Record<string, string> {
  return {
    'x-bz-server-side-encryption-customer-algorithm': 'AES256',
    'x-bz-server-side-encryption-customer-key': secret.key,
    'x-bz-server-side-encryption-customer-key-md5': secret.md5,
  };
}

export async function openSession(settings: SessionOptions = {}) {
  const emulator = createEmulator(b2Service, {
    options: { absoluteMinimumPartSize: 5, recommendedPartSize: 10, ...settings.options },
    ...(settings.seed ? { seed: settings.seed } : {}),
    ...(settings.data ? { data: settings.data } : {}),
  });
  await emulator.ready;
  const server = settings.listen ? await emulator.listen() : undefined;
  const origin = server?.url ?? 'http://b2.test';
  const send: typeof fetch = server ? fetch : emulator.fetch;
  const { keyId, key } = emulator.control.credentials() as { keyId: string; key: string };
  let closing: Promise<void> | undefined;

  const answer = async (call: string, response: Response): Promise<Answer> => {
    const body = await response.text();
    const result = {
      status: response.status,
      headers: response.headers,
      body,
      json: () => JSON.parse(body) as Json,
    };
    settings.onAnswer?.(call, result);
    return result;
  };
  const authorize = async (version = 'v2', id = keyId, secret = key) =>
    answer(
      'b2_authorize_account',
      await send(`${origin}/b2api/${version}/b2_authorize_account`, {
        headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
      }),
    );
  const auth = (await authorize()).json();
  const call = async (name: string, body: Record<string, unknown>, token: string = auth.authorizationToken) =>
    answer(
      name,
      await send(`${origin}/b2api/v2/${name}`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  const upload = async (
    target: UploadTarget,
    name: string,
    data: string,
    headers: Record<string, string> = {},
  ) =>
    answer(
      target.uploadUrl.includes('b2_upload_part') ? 'b2_upload_part' : 'b2_upload_file',
      await send(target.uploadUrl, {
        method: 'POST',
        headers: {
          authorization: target.authorizationToken,
          'x-bz-file-name': encodeURIComponent(name),
          'content-type': 'b2/x-auto',
          'x-bz-content-sha1': sha1(data),
          'content-length': String(Buffer.byteLength(data)),
          ...headers,
        },
        body: data,
      }),
    );
  const uploadUrl = async (bucketId: string, token?: string) =>
    (await call('b2_get_upload_url', { bucketId }, token)).json() as UploadTarget;
  /** Uploads one small file to a bucket on a fresh upload URL and returns the file version. */
  const put = async (bucketId: string, name: string, data: string, headers: Record<string, string> = {}) => {
    const result = await upload(await uploadUrl(bucketId), name, data, headers);
    if (result.status !== 200) throw new Error(`upload ${name}: ${result.status} ${result.body}`);
    return result.json();
  };
  const download = async (path: string, init: RequestInit = {}, call = 'download_file_by_name') =>
    answer(call, await send(`${origin}${path}`, init));
  const createBucket = async (bucketName: string, extra: Record<string, unknown> = {}) =>
    (
      await call('b2_create_bucket', {
        accountId: auth.accountId,
        bucketName,
        bucketType: 'allPrivate',
        ...extra,
      })
    ).json();
  /** A key with just these capabilities, and an account token for it. */
  const keyWith = async (capabilities: string[]) => {
    const created = (
      await call('b2_create_key', { accountId: auth.accountId, capabilities, keyName: 'limited' })
    ).json();
    return (await authorize('v2', created.applicationKeyId, created.applicationKey)).json()
      .authorizationToken as string;
  };
  return {
    emulator,
    origin,
    auth,
    accountId: auth.accountId as string,
    token: auth.authorizationToken as string,
    authorize,
    call,
    upload,
    uploadUrl,
    put,
    download,
    createBucket,
    keyWith,
    answer,
    /** Stops the emulator and writes its state; later calls do nothing. */
    close: () => (closing ??= emulator.close()),
  };
}

export type Session = Awaited<ReturnType<typeof openSession>>;
