// A download to the browser is a normal HTTP download: Chromium's download starts while the bytes are
// still on their way (not after the page gathered them all), the file it saves is the remote one byte
// for byte under the remote name, and the page's memory never holds the file. Real sshd, real Chromium.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { giveToTestUser, startSshd, TEST_USER, type Sshd } from '../harness/ssh.js';
import { openHost } from './app.js';

const HOST = 'download-box';
const NAME = 'big report (1).bin';
const SIZE = 96 << 20;

let sshd: Sshd;
let dir: string;
let data: Buffer;
test.beforeAll(async () => {
  sshd = await startSshd();
  dir = `/home/${TEST_USER}/warren-e2e-download-${randomBytes(4).toString('hex')}`;
  await mkdir(dir);
  data = randomBytes(SIZE);
  await writeFile(`${dir}/${NAME}`, data);
  await giveToTestUser(dir);
});
test.afterAll(async () => {
  await sshd.stop();
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('a remote file downloads as an HTTP download: saved whole under its name, the page never holding it', async ({ page }) => {
  await openHost(page, { name: HOST, port: sshd.port }, 'row-sftp');
  const remote = page.locator(`[data-testid=sftp][data-host=${HOST}] [data-testid=pane-remote]`);
  await expect(remote).toHaveAttribute('data-path', `/home/${TEST_USER}`, { timeout: 20_000 });
  await remote.getByTestId('path').fill(dir);
  await remote.getByTestId('path').press('Enter');
  const entry = remote.locator(`[data-testid=entry][data-name="${NAME}"]`);
  await entry.hover();
  const heapBefore = await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
  const started = page.waitForEvent('download');
  await entry.getByTestId('entry-download').click();
  const download = await started;
  expect(download.suggestedFilename()).toBe(NAME);
  expect(download.url()).toMatch(/\/download\/[A-Za-z0-9_-]{43}$/);
  const saved = await download.path();
  expect(await download.failure()).toBeNull();
  const got = await readFile(saved);
  expect(got.length).toBe(SIZE);
  expect(sha256(got)).toBe(sha256(data));
  // the bytes went to disk, not through the page: its heap grew by far less than the file
  const heapAfter = await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
  expect(heapAfter - heapBefore).toBeLessThan(SIZE / 8);
  // and the queue lists it, done
  const toggle = page.getByTestId('transfers-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(page.locator('[data-testid=transfers] [data-state=done]', { hasText: NAME })).toContainText('to this browser', { timeout: 10_000 });
  await page.screenshot({ path: 'test/output/e2e/download.png' });
});
