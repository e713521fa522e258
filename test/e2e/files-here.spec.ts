// "Open files here": a terminal's button and menu item open the host's file browser at the shell's
// working directory, which the main process followed from the typed `cd`s; a shell whose directory is
// not known opens the home folder, and says so. Real sshd, real Chromium.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { startSshd, TEST_USER, type Sshd } from '../harness/ssh.js';
import { contract, openHost, rowAction, runInTerminal } from './app.js';

const HOST = 'here-box';
const DIR = `/tmp/warren-here-${randomBytes(4).toString('hex')}`;

// its own sshd: the shared one's first host-key question belongs to terminal.spec
let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  const { client, close } = await contract();
  try {
    const ids = (await client.call('tree.get', {})).hosts.filter((h) => h.name === HOST).map((h) => h.id);
    if (ids.length) await client.call('items.delete', { hostIds: ids, groupIds: [] });
  } finally {
    close();
  }
  await sshd.stop();
});

const term = (page: Page) => page.locator('[data-testid=terminal][data-active=true]');
const remote = (page: Page) => page.locator(`[data-testid=sftp][data-host=${HOST}] [data-testid=pane-remote]`);

test('the button and the menu open the files at the shell’s directory; an unknown one is the home folder', async ({ page }) => {
  const row = await openHost(page, { name: HOST, port: sshd.port }, 'row-connect');
  await expect(term(page)).toHaveAttribute('data-session-id', /.+/);
  const name = DIR.slice('/tmp/'.length);
  await runInTerminal(page, term(page), `cd /tmp && mkdir -p ${name} && cd ${name} && touch marker.txt && echo made-$((6*7))`, /^made-42$/m);

  // the corner's button
  await term(page).getByTestId('term-files-here').click();
  await expect(page.getByTestId('view-files')).toHaveAttribute('aria-pressed', 'true');
  await expect(remote(page)).toHaveAttribute('data-path', DIR, { timeout: 20_000 });
  await expect(remote(page).locator('[data-testid=entry][data-name="marker.txt"]')).toBeVisible();
  await page.screenshot({ path: 'test/output/e2e/files-here.png' });

  // the menu, after another cd: the browser already open goes there
  await page.getByTestId('view-terminals').click();
  await runInTerminal(page, term(page), 'cd .. && echo back-$((6*7))', /^back-42$/m);
  await term(page).click({ button: 'right', position: { x: 60, y: 60 } });
  await expect(page.getByTestId('context-menu').getByTestId('pane-menu-files-here')).toBeVisible();
  await page.screenshot({ path: 'test/output/e2e/files-here-menu.png' });
  await page.getByTestId('context-menu').getByTestId('pane-menu-files-here').click();
  await expect(remote(page)).toHaveAttribute('data-path', '/tmp');
  await expect(page.locator('[data-testid=files-tab]')).toHaveCount(1);

  // a fresh shell where nothing was followed: the home folder, said so
  await page.getByTestId('view-terminals').click();
  await rowAction(row, 'row-connect');
  await expect(page.locator('[data-testid=tab][data-state=open]')).toHaveCount(2);
  await term(page).getByTestId('term-files-here').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'working directory is not known' })).toBeVisible();
  await expect(remote(page)).toHaveAttribute('data-path', `/home/${TEST_USER}`);
});
