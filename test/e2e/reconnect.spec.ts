// Reconnect as a user sees it: the sshd process serving the session is killed; the tab shows the loss
// and a countdown, comes back by itself, and the shell is in the directory the user was in; the files
// view says the session was lost and lists its folder again once it is back; an upload cut by sshd going
// away counts down and finishes by itself.
import { mkdir, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { giveToTestUser, startSshd, type Sshd } from '../harness/ssh.js';
import { openHost } from './app.js';
// its own sshd: killing its sessions must not disturb the other specs
let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  await sshd.stop();
});

async function run(page: Page, term: Locator, command: string, expected: RegExp): Promise<void> {
  await term.click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  await expect.poll(async () => expected.test(await term.locator('.xterm-rows').innerText()), { message: `${expected} on screen` }).toBe(true);
}

test('killed session: countdown, back by itself, same directory, scrollback kept', async ({ page }) => {
  await openHost(page, { name: 'rc-box', port: sshd.port }, 'row-connect');
  const term = page.locator('[data-testid=terminal][data-active=true]');
  await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });

  await run(page, term, 'mkdir -p /tmp/warren-e2e-rc; echo made-$((1+1))', /^made-2$/m);
  await run(page, term, 'cd /tmp/warren-e2e-rc', /warren-e2e-rc\$/);
  await run(page, term, 'echo before-$((20+22))', /^before-42$/m);
  const sessionId = await term.getAttribute('data-session-id');

  await sshd.killSessions();
  const bar = term.getByTestId('term-reconnecting');
  await expect(bar).toBeVisible();
  await expect(bar).toContainText(/Reconnect(ing in \d+ s|ing…)/);
  await expect(page.locator('[data-testid=tab][data-active=true]')).toHaveAttribute('data-state', 'reconnecting');
  await page.screenshot({ path: 'test/output/e2e/reconnecting.png' });

  await expect(page.locator('[data-testid=tab][data-active=true]')).toHaveAttribute('data-state', 'open', { timeout: 20_000 });
  await expect(bar).toHaveCount(0);
  expect(await term.getAttribute('data-session-id')).toBe(sessionId);
  await run(page, term, 'pwd', /^\/tmp\/warren-e2e-rc$/m);
  await expect(term.locator('.xterm-rows')).toContainText('[reconnected]');
  // scrollback: what came before the loss is still in the terminal's buffer (search finds it)
  await term.click();
  await page.keyboard.press('Control+Shift+F');
  await page.getByTestId('term-search').fill('before-42');
  await expect(page.getByTestId('term-search-count')).toContainText(/[1-9]/);
});

test('files view: the lost session shows a countdown, comes back by itself and lists the folder again', async ({ page }) => {
  const dir = `/tmp/warren-e2e-rc-files-${Date.now()}`;
  await mkdir(dir);
  await writeFile(join(dir, 'before.txt'), 'before');
  await openHost(page, { name: 'rc-files', port: sshd.port }, 'row-sftp');
  const remote = page.locator('[data-testid=sftp][data-host=rc-files] [data-testid=pane-remote]');
  await expect(remote).toHaveAttribute('data-path', /.+/, { timeout: 20_000 });
  await remote.getByTestId('path').fill(dir);
  await remote.getByTestId('path').press('Enter');
  await expect(remote).toHaveAttribute('data-path', dir);
  await expect(remote.getByTestId('entries')).toContainText('before.txt');

  await sshd.killSessions();
  // made while the connection is down: it shows only if the pane lists again by itself
  await writeFile(join(dir, 'made-while-offline.txt'), 'after');
  const offline = remote.getByTestId('pane-offline');
  await expect(offline).toBeVisible();
  await expect(offline).toContainText(/Offline\. Reconnect(ing in \d+ s|ing)….*(lost|ended)/);
  await page.screenshot({ path: 'test/output/e2e/files-offline.png' });
  await expect(offline).toHaveCount(0, { timeout: 20_000 });
  await expect(remote.getByTestId('entries')).toContainText('made-while-offline.txt');
  await expect(remote).toHaveAttribute('data-path', dir);
  await rm(dir, { recursive: true, force: true });
});

test('files view: an upload cut by a lost connection counts down, reconnects and finishes by itself', async ({ page }) => {
  const base = `/dev/shm/warren-e2e-rc-xfer-${Date.now()}`;
  const SIZE = 768 * 1024 * 1024;
  await mkdir(join(base, 'local'), { recursive: true });
  await mkdir(join(base, 'remote'));
  await giveToTestUser(join(base, 'remote'));
  // sparse: no time spent writing it, and every byte still travels
  await writeFile(join(base, 'local', 'big.bin'), '');
  await truncate(join(base, 'local', 'big.bin'), SIZE);
  await openHost(page, { name: 'rc-xfer', port: sshd.port }, 'row-sftp');
  const view = page.locator('[data-testid=sftp][data-host=rc-xfer]');
  const local = view.getByTestId('pane-local');
  const remote = view.getByTestId('pane-remote');
  await expect(remote).toHaveAttribute('data-path', /.+/, { timeout: 20_000 });
  for (const [pane, path] of [
    [local, join(base, 'local')],
    [remote, join(base, 'remote')],
  ] as const) {
    await pane.getByTestId('path').fill(path);
    await pane.getByTestId('path').press('Enter');
    await expect(pane).toHaveAttribute('data-path', path);
  }
  const entry = local.locator('[data-testid=entry][data-name="big.bin"]');
  await entry.hover();
  await entry.getByTestId('entry-transfer').click();
  const transfer = page.locator('[data-testid=transfer][data-name="big.bin"]');
  await expect(transfer).toHaveAttribute('data-state', 'running', { timeout: 20_000 });

  // sshd goes away for a few seconds: the upload pauses, counts down, and goes on when sshd is back
  const back = sshd.restart({ downMs: 4000 });
  await expect(transfer).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('transfers-total')).toContainText('1 paused');
  await expect(transfer.getByTestId('transfer-state')).toHaveText(/retry in \d+ s|reconnecting…/);
  await page.screenshot({ path: 'test/output/e2e/transfer-reconnecting.png' });
  await back;
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(transfer.getByTestId('transfer-bytes')).toHaveAttribute('data-bytes', String(SIZE));
  expect((await stat(join(base, 'remote', 'big.bin'))).size).toBe(SIZE);
  expect(await readdir(join(base, 'remote'))).toEqual(['big.bin']);
  await rm(base, { recursive: true, force: true });
});
