import { describe, expect, it } from 'vitest';
import { run, startEmulator } from './support/cli.js';

describe('mediaferry emulator --option', () => {
  it('sets options of the services it starts (repeatable), listed by /__emulator/options and in effect', async () => {
    const emulator = await startEmulator('mixcloud,gopro', [
      '--option',
      'mixcloud.oauthErrorStatus=401',
      '--option',
      'mixcloud.meRedirects=true',
      '--option',
      'gopro.strictAccept=on',
    ]);
    try {
      const mixcloud = emulator.endpoints.mixcloud!;
      const listed = (await (await fetch(`${mixcloud.url}/__emulator/options`)).json()) as {
        options: Array<{ name: string; value: unknown; default: unknown }>;
      };
      expect(listed.options.find((o) => o.name === 'oauthErrorStatus')).toMatchObject({
        value: 401,
        default: 400,
      });
      expect(listed.options.find((o) => o.name === 'meRedirects')).toMatchObject({
        value: true,
        default: false,
      });
      expect((await fetch(`${mixcloud.url}/me/`)).status).toBe(401);
      const me = await fetch(`${mixcloud.url}/me/?access_token=${mixcloud.accessToken}`, {
        redirect: 'manual',
      });
      expect(me.status).toBe(302);
      const gopro = emulator.endpoints.gopro!;
      const search = await fetch(`${gopro.url}/media/search`, {
        headers: { cookie: `gp_access_token=${gopro.accessToken}`, accept: 'application/json' },
      });
      expect(search.status).toBe(406);
    } finally {
      expect(await emulator.stop()).toBe(0);
    }
  });

  it('refuses a malformed flag, an unknown option, a bad value or a service not started, with exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--option', 'oauthErrorStatus=401'], /--option takes service\.name=value/],
      [['--option', 'mixcloud.noSuch=1'], /mixcloud\.noSuch: no such option/],
      [['--option', 'mixcloud.oauthErrorStatus=402'], /mixcloud\.oauthErrorStatus: must be one of 400, 401/],
      [['--option', 'mixcloud.maxLimit=lots'], /mixcloud\.maxLimit: must be an integer/],
      [['--services', 'b2', '--option', 'gopro.strictAccept=true'], /gopro, which is not started/],
    ];
    for (const [args, message] of cases) {
      const result = await run(['emulator', '--port', '0', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
