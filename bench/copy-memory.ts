/**
 * Peak memory of `mediaferry copy DIR b2://…` against `mediaferry b2 upload` of the same file (issue 12: copy
 * within 32 MiB of upload), both run as the built CLI against `mediaferry emulator --data` on loopback; and
 * of `copy b2://… DIR` back, for reference. Each CLI run reports its own peak RSS on exit.
 *
 *   npm run bench -- copy-memory [MiB=200]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MiB, mib, Verdicts, withTempDir } from './support/measure.js';

const bin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const REPORT_RSS =
  "data:text/javascript,import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(process.env.MF_RSS_FILE,String(process.resourceUsage().maxRSS*1024)));";

async function cli(args: readonly string[], env: NodeJS.ProcessEnv, rssFile: string) {
  const child = spawn(process.execPath, ['--import', REPORT_RSS, bin, ...args], {
    env: { ...env, MF_RSS_FILE: rssFile },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`mediaferry ${args.join(' ')} exited with ${code}`);
  return { ms: performance.now() - started, maxRss: Number(await readFile(rssFile, 'utf8')) };
}

const size = Number(process.argv[2] ?? 200) * MiB;
await withTempDir(async (dir) => {
  const emulator = spawn(
    process.execPath,
    [bin, 'emulator', '--json', '--port', '0', '--services', 'b2', '--data', join(dir, 'emulator')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve) => {
    let buffer = '';
    emulator.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.includes('\n')) resolve(buffer.slice(0, buffer.indexOf('\n')));
    });
  });
  try {
    const b2 = (JSON.parse(line) as Record<string, { url: string; keyId: string; key: string }>).b2!;
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, 'config'),
      MEDIAFERRY_B2_URL: b2.url,
      B2_APPLICATION_KEY_ID: b2.keyId,
      B2_APPLICATION_KEY: b2.key,
    };
    const src = join(dir, 'src');
    await mkdir(src);
    const file = await open(join(src, 'clip.bin'), 'w');
    for (let written = 0; written < size; written += 8 * MiB)
      await file.write(randomBytes(Math.min(8 * MiB, size - written)));
    await file.close();
    const rss = join(dir, 'rss');
    const upload = await cli(
      ['b2', 'upload', join(src, 'clip.bin'), 'b2://mediaferry-demo/upload/'],
      env,
      rss,
    );
    const copied = await cli(['copy', src, 'b2://mediaferry-demo/copy/'], env, rss);
    const back = await cli(['copy', 'b2://mediaferry-demo/copy/', join(dir, 'back')], env, rss);
    process.stdout.write(
      `${mib(size)} file: b2 upload ${mib(upload.maxRss)} peak RSS (${(upload.ms / 1000).toFixed(1)} s), ` +
        `copy DIR b2:// ${mib(copied.maxRss)} (${(copied.ms / 1000).toFixed(1)} s), ` +
        `copy b2:// DIR ${mib(back.maxRss)} (${(back.ms / 1000).toFixed(1)} s)\n`,
    );
    const verdicts = new Verdicts();
    const over = copied.maxRss - upload.maxRss;
    verdicts.check('copy DIR b2:// over b2 upload', mib(over), over <= 32 * MiB, '≤ 32 MiB');
    process.exitCode = verdicts.failed === 0 ? 0 : 1;
  } finally {
    emulator.kill('SIGTERM');
    await new Promise((resolve) => emulator.on('close', resolve));
  }
});
