import { mkdtempSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startEmulators } from './packages/emulator/dist/index.js';

const started = await startEmulators({ seed: 'demo' });
const b2 = started.emulators.find((e) => e.name === 'b2');
const { keyId, key } = b2.credentials;
const auth = await (
  await fetch(`${b2.url}/b2api/v3/b2_authorize_account`, {
    headers: { authorization: 'Basic ' + Buffer.from(`${keyId}:${key}`).toString('base64') },
  })
).json();
const api = auth.apiInfo.storageApi.apiUrl;
const buckets = await (
  await fetch(`${api}/b2api/v3/b2_list_buckets`, {
    method: 'POST',
    headers: { authorization: auth.authorizationToken },
    body: JSON.stringify({ accountId: auth.accountId }),
  })
).json();
const bucket = buckets.buckets.find((b) => b.bucketName === 'mediaferry-demo');
const up = await (
  await fetch(`${api}/b2api/v3/b2_get_upload_url`, {
    method: 'POST',
    headers: { authorization: auth.authorizationToken },
    body: JSON.stringify({ bucketId: bucket.bucketId }),
  })
).json();
const r = await fetch(up.uploadUrl, {
  method: 'POST',
  headers: {
    authorization: up.authorizationToken,
    'x-bz-file-name': 'clips/hello.txt',
    'content-type': 'text/plain',
    'x-bz-content-sha1': 'do_not_verify',
    'x-bz-info-author': 'smoke',
  },
  body: 'hello console',
});
console.log('upload', r.status);
const browser = await chromium.launchPersistentContext(mkdtempSync('/tmp/cons-exp/ud-'), {
  headless: true,
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1200, height: 900 },
});
const page = await browser.newPage();
page.on('console', (m) => console.log('browser:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', e.message));
for (const [name, url] of [
  ['b2-state', `${b2.console}`],
  ['b2-bucket', `${b2.console}?at=bucket/${bucket.bucketId}`],
  ['journal', `${b2.console}journal`],
  ['steer', `${b2.console}steer`],
  ['all', started.index],
]) {
  await page.goto(url);
  await page.screenshot({ path: `/tmp/cons-exp/${name}.png`, fullPage: true });
}
for (const e of started.emulators.filter((e) => e.name !== 'b2')) {
  await page.goto(e.console);
  await page.screenshot({ path: `/tmp/cons-exp/${e.name}.png`, fullPage: true });
}
await browser.close();
await started.close();
