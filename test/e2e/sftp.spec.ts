// The SFTP browser as a user lives it: a host with a saved password on the spec's own sshd, its files
// opened from the tree, the remote pane sent to a folder by typing its path, a 3 MB file dropped from
// the "desktop" onto the remote pane (a File in a DataTransfer, streamed over the contract), the queue
// reaching done, the file listed with its size and sha256-equal on disk, then renamed and deleted
// from the UI.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { giveToTestUser, startSshd, TEST_USER, type Sshd } from '../harness/ssh.js';
import { openHost } from './app.js';

const HOST = 'sftp-box';
const SIZE = 3 * 1024 * 1024;
const NAME = 'dropped e2e.bin';
const RENAMED = 'renamed.bin';

let sshd: Sshd;
let dir: string;
test.beforeAll(async () => {
  sshd = await startSshd();
  dir = `/home/${TEST_USER}/warren-e2e-sftp-${randomBytes(4).toString('hex')}`;
  await mkdir(dir);
  await giveToTestUser(dir);
});
test.afterAll(async () => {
  await sshd.stop();
  await rm(dir, { recursive: true, force: true });
});

test('drop a file on the remote pane, see it land, rename it, delete it', async ({ page }) => {
  await openHost(page, { name: HOST, port: sshd.port }, 'row-sftp');
  await expect(page.getByTestId('view-files')).toHaveAttribute('aria-pressed', 'true');

  const remote = page.locator(`[data-testid=sftp][data-host=${HOST}] [data-testid=pane-remote]`);
  await expect(remote).toHaveAttribute('data-path', `/home/${TEST_USER}`, { timeout: 20_000 });
  await remote.getByTestId('path').fill(dir);
  await remote.getByTestId('path').press('Enter');
  await expect(remote).toHaveAttribute('data-path', dir);
  await expect(remote.getByTestId('entries')).toContainText('This folder is empty.');

  // a drop from the OS: dragenter, dragover and drop carrying a File, as the browser sends them
  const bytes = randomBytes(SIZE);
  await page.evaluate(`(() => {
    const list = document.querySelector('[data-testid=sftp][data-host=${HOST}] [data-testid=pane-remote] [data-testid=entries]');
    const bytes = Uint8Array.from(atob('${bytes.toString('base64')}'), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], ${JSON.stringify(NAME)}, { type: 'application/octet-stream' }));
    for (const type of ['dragenter', 'dragover', 'drop']) list.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
  })()`);

  const transfer = page.locator(`[data-testid=transfer][data-name="${NAME}"]`);
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(transfer.getByTestId('transfer-bytes')).toHaveAttribute('data-bytes', String(SIZE));
  await expect(transfer).toContainText('100%');
  const entry = remote.locator(`[data-testid=entry][data-name="${NAME}"]`);
  await expect(entry).toHaveAttribute('data-size', String(SIZE));
  await expect(entry).toHaveAttribute('data-kind', 'file');
  const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  expect(sha256(await readFile(`${dir}/${NAME}`))).toBe(sha256(bytes));
  // nothing half-written is left beside it
  expect(await readdir(dir)).toEqual([NAME]);
  await page.screenshot({ path: 'test/output/e2e/sftp.png' });

  await entry.hover();
  await entry.getByTestId('entry-rename').click();
  const rename = page.getByTestId('rename-dialog');
  await rename.locator('[name=name]').fill(RENAMED);
  await rename.getByTestId('save').click();
  const renamed = remote.locator(`[data-testid=entry][data-name="${RENAMED}"]`);
  await expect(renamed).toHaveAttribute('data-size', String(SIZE));
  await expect(entry).toHaveCount(0);
  expect(await readdir(dir)).toEqual([RENAMED]);

  await renamed.hover();
  await renamed.getByTestId('entry-delete').click();
  await expect(page.getByTestId('confirm')).toContainText(RENAMED);
  await page.getByTestId('confirm-ok').click();
  await expect(renamed).toHaveCount(0);
  await expect(remote.getByTestId('entries')).toContainText('This folder is empty.');
  expect(await readdir(dir)).toEqual([]);
});

test('a folder of 3,000 files: only the rows in view are in the page, and End brings the last one into view', async ({ page }) => {
  const big = `${dir}/big`;
  await mkdir(big);
  await Promise.all(Array.from({ length: 3000 }, (_, i) => writeFile(`${big}/f-${String(i).padStart(4, '0')}.txt`, '')));
  await giveToTestUser(big);
  await openHost(page, { name: 'sftp-big', port: sshd.port }, 'row-sftp');
  const remote = page.locator(`[data-testid=sftp][data-host=sftp-big] [data-testid=pane-remote]`);
  await expect(remote).toHaveAttribute('data-path', `/home/${TEST_USER}`, { timeout: 20_000 });
  await remote.getByTestId('path').fill(big);
  await remote.getByTestId('path').press('Enter');
  await expect(remote.locator('[data-testid=entry][data-name="f-0000.txt"]')).toBeVisible();
  expect(await remote.getByTestId('entry').count()).toBeLessThan(100);

  await remote.locator('[data-testid=entry][data-name="f-0000.txt"]').click();
  await remote.getByTestId('entries').press('End');
  await expect(remote.locator('[data-testid=entry][data-name="f-2999.txt"]')).toBeInViewport();
  expect(await remote.getByTestId('entry').count()).toBeLessThan(100);
  await rm(big, { recursive: true, force: true });
});
