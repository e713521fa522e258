// The workspace as README shows it: a tab split in three with a shell in each pane, a second tab, the
// light theme on all of it. Real sshd, real Chromium; the picture is test/output/e2e/workspace-light.png
// (README's docs/workspace.png is a copy of it).
import { expect, test, type Page } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, createHost, E2E_TERMINAL_SETTINGS, rowAction, runInTerminal } from './app.js';

let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  const { client, close } = await contract();
  try {
    await client.call('settings.set', { terminal: E2E_TERMINAL_SETTINGS });
    const ids = (await client.call('tree.get', {})).hosts.filter((h) => ['web-1', 'db-primary'].includes(h.name)).map((h) => h.id);
    if (ids.length) await client.call('items.delete', { hostIds: ids, groupIds: [] });
  } finally {
    close();
  }
  await sshd.stop();
});

const LIGHT = 'rgb(251, 251, 252)';
const panes = (page: Page) => page.locator('[data-testid=tab-panes][data-active=true]').getByTestId('terminal');
const row = (page: Page, name: string) => page.locator(`[data-testid=host-row]:not([data-section])[data-name="${name}"]`);

test('three panes and two tabs in the light theme: every pane is light and has its shell', async ({ page }) => {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await createHost(page, { name: 'web-1', port: sshd.port });
  await createHost(page, { name: 'db-primary', port: sshd.port });
  const { client, close } = await contract();
  try {
    await client.call('settings.set', { terminal: { theme: 'light' } });
  } finally {
    close();
  }
  await rowAction(row(page, 'db-primary'), 'row-connect');
  // connected: the host joins the recent list above the tree, which moves the rows; then the next one
  await expect(page.locator('[data-testid=host-row][data-section][data-name="db-primary"]')).toBeVisible();
  await rowAction(row(page, 'web-1'), 'row-connect');
  await expect(page.getByTestId('tab')).toHaveText(['db-primary', 'web-1']);
  await expect(panes(page).first()).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
  await runInTerminal(page, panes(page).first(), 'uname -sr; uptime', /load average/);
  await page.keyboard.press('Control+Shift+E');
  await expect(panes(page)).toHaveCount(2);
  await expect(panes(page).nth(1)).toHaveAttribute('data-session-id', /.+/);
  await runInTerminal(page, panes(page).nth(1), 'ls -l /etc | head -12', /total \d+/);
  await page.keyboard.press('Control+Shift+O');
  await expect(panes(page)).toHaveCount(3);
  await expect(panes(page).nth(2)).toHaveAttribute('data-session-id', /.+/);
  await runInTerminal(page, panes(page).nth(2), 'df -h / /tmp', /Filesystem/);
  for (let i = 0; i < 3; i++) await expect(panes(page).nth(i).locator('.xterm-viewport')).toHaveCSS('background-color', LIGHT);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByTestId('tab')).toHaveCount(2);
  await page.screenshot({ path: 'test/output/e2e/workspace-light.png' });
});
