/**
 * Where each service's credentials come from, in one table: the flag, the environment variable, the config
 * file field and the name the emulator gives it. Loaded by `--help`, so it imports nothing.
 *
 * @module
 */

/** One credential a service needs. */
export interface CredentialField {
  /** The config-file field (`mediaferry config set b2 keyId …`) and the connection's credential name. */
  readonly field: string;
  /** The variable the service's own tools read. */
  readonly env: string;
  /** The flag on the service's commands (`mediaferry b2 buckets --key-id …`). */
  readonly flag: string;
  /** The emulator's name for it (in `mediaferry emulator --json` and its control plane). */
  readonly emulator: string;
  /** Never printed, and the flag warns that other users can read it in `ps`. */
  readonly secret: boolean;
}

export interface ServiceCredentials {
  readonly service: ServiceName;
  readonly fields: readonly CredentialField[];
  /** Points the service at another host: a running `mediaferry emulator`, a proxy. */
  readonly urlEnv: string;
}

export const SERVICE_NAMES = ['b2', 'gopro', 'biggo', 'mixcloud'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const field = (
  name: string,
  env: string,
  flag: string,
  secret: boolean,
  emulator = name,
): CredentialField => ({ field: name, env, flag, secret, emulator });

export const CREDENTIALS: Readonly<Record<ServiceName, ServiceCredentials>> = {
  b2: {
    service: 'b2',
    urlEnv: 'MEDIAFERRY_B2_URL',
    fields: [
      field('keyId', 'B2_APPLICATION_KEY_ID', 'key-id', false),
      field('key', 'B2_APPLICATION_KEY', 'key', true),
    ],
  },
  gopro: {
    service: 'gopro',
    urlEnv: 'MEDIAFERRY_GOPRO_URL',
    fields: [field('accessToken', 'GP_ACCESS_TOKEN', 'token', true)],
  },
  biggo: {
    service: 'biggo',
    urlEnv: 'MEDIAFERRY_BIGGO_URL',
    fields: [
      field('clientId', 'BIGGO_CLIENT_ID', 'client-id', false),
      field('clientSecret', 'BIGGO_CLIENT_SECRET', 'client-secret', true),
    ],
  },
  mixcloud: {
    service: 'mixcloud',
    urlEnv: 'MEDIAFERRY_MIXCLOUD_URL',
    fields: [field('accessToken', 'MIXCLOUD_ACCESS_TOKEN', 'token', true)],
  },
};

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** `key-id` → the key commander gives its value under (`keyId`). */
export function flagKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, letter: string) => letter.toUpperCase());
}

/** The `--b2-key-id` style flag that names its service, for commands that talk to several (copy). */
export function prefixedFlag(service: ServiceName, credential: CredentialField): string {
  return `${service}-${credential.flag}`;
}
