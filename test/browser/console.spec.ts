/**
 * The web console in a real browser: Debian's chromium, driven headless by playwright-core (which never
 * downloads a browser of its own), against `mediaferry emulator` running as a user runs it. A client (the
 * built CLI) uploads; the console must show it live in the journal and in the bucket, arm a fault that the
 * client then retries through, and move the virtual clock. Screenshots of each view go to
 * $CONSOLE_SCREENSHOTS (docs/console to refresh the README's) or a temporary directory.
 *
 * Run with `npm run test:browser` (needs `apt-get install chromium`); not part of `npm test`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const BIN = resolve('packages/cli/bin/mediaferry.js');
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Endpoint {
  url: string;
  console: string;
  [credential: string]: string;
}

let server: ChildProcess;
let endpoints: Record<string, Endpoint>;
let env: NodeJS.ProcessEnv;
let browser: BrowserContext;
let page: Page;
let shots: string;
const problems: string[] = [];
const offsite: string[] = [];

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

/** A screenshot of the page from its top, at most 1400 px long (long lists are cut, not shrunk). */
async function shot(name: string): Promise<void> {
  const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
  const { width } = page.viewportSize() ?? { width: 1200 };
  await page.screenshot({
    path: join(shots, `${name}.png`),
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(height, 1400) },
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  shots = process.env.CONSOLE_SCREENSHOTS
    ? resolve(process.env.CONSOLE_SCREENSHOTS)
    : await mkdtemp(join(tmpdir(), 'mf-console-shots-'));
  await mkdir(shots, { recursive: true });
  const home = await mkdtemp(join(tmpdir(), 'mf-console-home-'));
  env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_STATE_HOME: join(home, 'state'),
    NO_COLOR: '1',
  };
  server = spawn(process.execPath, [BIN, 'emulator', '--json', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((done, fail) => {
    let buffer = '';
    server.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.includes('\n')) done(buffer.slice(0, buffer.indexOf('\n')));
    });
    server.once('exit', (code) => fail(new Error(`mediaferry emulator exited with ${code}`)));
  });
  endpoints = JSON.parse(line) as Record<string, Endpoint>;
  const { b2 } = endpoints;
  Object.assign(env, {
    MEDIAFERRY_B2_URL: b2!.url,
    B2_APPLICATION_KEY_ID: b2!.keyId,
    B2_APPLICATION_KEY: b2!.key,
  });
  browser = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), 'mf-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 850 },
  });
  // Offline by construction: anything the console asks of another host is recorded and refused.
  await browser.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('http://127.0.0.1:')) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => dialog.accept());
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((done) => server.once('exit', done));
    server.kill('SIGTERM');
    await exited;
  }
});

describe('the emulator console in chromium', () => {
  it('shows an upload live in the journal, with its details redacted, and in the bucket', async () => {
    const b2 = endpoints.b2!;
    await page.goto(b2.console);
    expect(await page.locator('h1').textContent()).toBe('B2: buckets and keys');
    await shot('b2-buckets');

    await page.goto(`${b2.console}journal`);
    await page.locator('#live-status').filter({ hasText: 'live' }).waitFor();
    const file = join(env.HOME!, 'harbour.txt');
    await writeFile(file, 'Harbour at dawn\n');
    const upload = await cli(['b2', 'upload', file, 'b2://mediaferry-demo/clips/']);
    expect(upload.code).toBe(0);
    const row = page.locator('#journal tbody tr[data-endpoint="b2_upload_file"]');
    await row.first().waitFor();
    expect(await row.first().locator('.badge').textContent()).toBe('200');
    await shot('journal');

    await row.first().locator('a').click();
    await page.locator('h1', { hasText: 'b2_upload_file' }).waitFor();
    const detail = await page.locator('main').textContent();
    expect(detail).toContain('Harbour at dawn');
    expect(detail).toContain('[REDACTED]');
    expect(detail).not.toContain(b2.key);
    await shot('request-detail');

    await page.goto(b2.console);
    await page.getByRole('link', { name: 'mediaferry-demo' }).click();
    await page.locator('summary', { hasText: 'clips/harbour.txt' }).waitFor();
    await shot('b2-bucket');
  });

  it('arms a fault from the steering page; the client retries through it, as the journal shows', async () => {
    const b2 = endpoints.b2!;
    await page.goto(`${b2.console}steer`);
    await page.getByLabel('Endpoint').first().selectOption('b2_upload_file');
    await page.locator('#http-status').fill('503');
    await page.locator('#http-count').fill('2');
    await page.locator('#http-retry').fill('0');
    await page.getByRole('button', { name: 'Arm HTTP fault' }).click();
    await page.locator('.flash.ok', { hasText: 'HTTP fault 1 armed: 503 on b2_upload_file' }).waitFor();
    expect(await page.locator('#armed-faults').textContent()).toContain('2 left');
    await shot('steering');

    await page.goto(`${b2.console}journal?endpoint=b2_upload_file`);
    await page.locator('#live-status').filter({ hasText: 'live' }).waitFor();
    const file = join(env.HOME!, 'retried.txt');
    await writeFile(file, 'uploaded on the third try\n');
    const upload = await cli(['b2', 'upload', file, 'b2://mediaferry-demo/clips/']);
    expect(upload.code).toBe(0);
    // Rows arrive live, newest first: the success, then the two injected 503s it retried through.
    await page.locator('#journal tbody tr[data-status="200"]').first().waitFor();
    const statuses = await page.locator('#journal tbody tr:not([hidden]) .badge').allInnerTexts();
    expect(statuses.slice(0, 3)).toEqual(['200', '503', '503']);
    expect(await page.locator('#journal tbody tr', { hasText: 'injected' }).count()).toBe(2);
    await shot('journal-retry');

    await page.goto(`${b2.console}steer`);
    await page.locator('#no-faults').waitFor();
  });

  it('advances the virtual clock from the steering page', async () => {
    const b2 = endpoints.b2!;
    await page.goto(`${b2.console}steer`);
    await page.locator('#clock-amount').fill('1');
    await page.locator('#clock-unit').selectOption('days');
    await page.getByRole('button', { name: 'Advance clock' }).click();
    await page.locator('.flash.ok', { hasText: 'clock advanced by 1 days' }).waitFor();
    const shown = Date.parse((await page.locator('#clock-now').getAttribute('datetime')) ?? '');
    expect(shown - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const clock = (await (await fetch(`${b2.url}/__emulator/clock`)).json()) as { offsetMs: number };
    expect(clock.offsetMs).toBe(86_400_000);
  });

  it('indexes every service, and each service shows its own state', async () => {
    await page.goto(`${endpoints.b2!.url}/__emulator/ui/all`);
    expect(await page.locator('.card').count()).toBe(4);
    await shot('all-services');
    for (const [name, heading] of [
      ['gopro', 'GoPro: media library'],
      ['biggo', 'BigGo: users and videos'],
      ['mixcloud', 'Mixcloud: users, shows, follows'],
    ] as const) {
      await page.goto(endpoints[name]!.console);
      expect(await page.locator('h1').textContent()).toBe(heading);
      await shot(name);
    }
  });

  it('is usable from the keyboard and readable on a narrow window', async () => {
    await page.goto(`${endpoints.b2!.console}journal`);
    await page.keyboard.press('Tab');
    const focused = () => page.locator(':focus');
    expect(await focused().textContent()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('/');
    expect(await focused().getAttribute('name')).toBe('endpoint');
    await page.keyboard.press('Escape');

    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['', 'journal', 'steer']) {
      await page.goto(`${endpoints.b2!.console}${path}`);
      // Evaluated in the page: `globalThis` is the window there.
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(Number(overflow), `page ${path || 'state'} scrolls sideways`).toBeLessThanOrEqual(1);
    }
    await shot('narrow-journal');
  });

  it('loaded nothing from elsewhere and logged no error', () => {
    expect(offsite).toEqual([]);
    expect(problems).toEqual([]);
  });
});
