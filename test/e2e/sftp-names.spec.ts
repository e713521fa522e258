// Names that try to deceive, in the remote pane: a right-to-left override (U+202E makes `gnp.exe` read
// as `exe.png`) is shown as its escape, and a name with a control character is shown escaped and marked
// as not downloadable, while the real name still works for the pane's own operations (delete).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { giveToTestUser, startSshd, TEST_USER, type Sshd } from '../harness/ssh.js';
import { openHost } from './app.js';

const HOST = 'names-box';
const BIDI = 'photo\u202egnp.exe';
const BELL = 'bell\u0007.txt';

let sshd: Sshd;
let dir: string;
test.beforeAll(async () => {
  sshd = await startSshd();
  dir = `/home/${TEST_USER}/warren-e2e-names-${randomBytes(4).toString('hex')}`;
  await mkdir(dir);
  await writeFile(`${dir}/${BIDI}`, 'odd but valid');
  await writeFile(`${dir}/${BELL}`, 'control character');
  await giveToTestUser(dir);
});
test.afterAll(async () => {
  await sshd.stop();
  await rm(dir, { recursive: true, force: true });
});

test('the remote pane shows a bidi override and a control character as escapes, and keeps the real names', async ({ page }) => {
  await openHost(page, { name: HOST, port: sshd.port }, 'row-sftp');
  const remote = page.locator(`[data-testid=sftp][data-host=${HOST}] [data-testid=pane-remote]`);
  await expect(remote).toHaveAttribute('data-path', `/home/${TEST_USER}`, { timeout: 20_000 });
  await remote.getByTestId('path').fill(dir);
  await remote.getByTestId('path').press('Enter');
  await expect(remote).toHaveAttribute('data-path', dir);

  const bidi = remote.locator(`[data-testid=entry][data-name="${BIDI}"]`);
  await expect(bidi.getByTestId('entry-name')).toHaveText('photo\\u202egnp.exe');
  await expect(bidi).not.toHaveAttribute('data-refused');
  await bidi.hover();
  await expect(bidi.getByTestId('entry-download')).toBeVisible(); // odd, but a valid file name: it downloads

  const bell = remote.locator(`[data-testid=entry][data-name="${BELL}"]`);
  await expect(bell.getByTestId('entry-name')).toHaveText('bell\\x07.txt');
  await expect(bell).toHaveAttribute('data-refused', 'it contains control characters');
  await bell.hover();
  await expect(bell.getByTestId('entry-download')).toHaveCount(0);
  await expect(bell.getByTestId('entry-transfer')).toHaveCount(0);
  await page.screenshot({ path: 'test/output/e2e/sftp-names.png' });

  // the real name is what the operation uses
  await bell.getByTestId('entry-delete').click();
  await expect(page.getByTestId('confirm')).toContainText('bell\\x07.txt');
  await page.getByTestId('confirm-ok').click();
  await expect(bell).toHaveCount(0);
  expect(await readdir(dir)).toEqual([BIDI]);
});
