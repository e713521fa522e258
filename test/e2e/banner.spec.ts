// The server's pre-login banner (often a legal notice) is shown, as ssh prints it: in a dialog titled
// with who says it, its escape sequences visible rather than obeyed, while the login goes on behind it.
// "Don't show this again" holds for the host until the text changes. Real hostile SSH server, real Chromium.
import { expect, test } from '@playwright/test';
import { startHostileServer, type HostileServer } from '../harness/hostile.js';
import { openHost, rowAction } from './app.js';

const HOST = 'banner-box';
const NOTICE = 'Authorised use only. Activity is logged.\r\n\u001b]0;Warren: vault unlocked\u0007\u001b[2J';
const NEW_NOTICE = 'Maintenance tonight 22:00 UTC.\r\n';

let server: HostileServer;
test.beforeAll(async () => {
  server = await startHostileServer({ banner: NOTICE, output: 'banner-shell-ready\r\n' });
});
test.afterAll(async () => {
  await server.close();
});

test('the login banner is shown with its controls visible, the login goes on, and "don\'t show again" lasts until the text changes', async ({ page }) => {
  const row = await openHost(page, { name: HOST, port: server.port }, 'row-connect');
  const banner = page.locator('[data-testid=prompt][data-kind=banner]');
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await expect(banner.locator('.modal-title')).toHaveText(/@127\.0\.0\.1 says$/);
  const text = banner.getByTestId('banner-text');
  await expect(text).toContainText('Authorised use only. Activity is logged.');
  // the OSC title and the clear-screen are shown as text, never obeyed
  await expect(text).toContainText(String.raw`\e]0;Warren: vault unlocked\x07`);
  expect(await text.innerText()).not.toMatch(/[\x1b\x07]/);
  const title = await page.title();
  expect(title).not.toContain('vault unlocked');

  // the login did not wait for the dialog: the shell is up behind it
  const term = page.getByTestId('terminal');
  await expect(term.locator('.xterm-rows')).toContainText('banner-shell-ready', { timeout: 20_000 });
  await expect(banner).toBeVisible();

  await banner.getByTestId('banner-remember').check();
  await banner.getByTestId('prompt-accept').click();
  await expect(banner).toHaveCount(0);
  await page.getByTestId('tab-close').click();
  await expect(term).toHaveCount(0);

  // the same text again: not shown
  await rowAction(row, 'row-connect');
  await expect(term.locator('.xterm-rows')).toContainText('banner-shell-ready', { timeout: 20_000 });
  await page.waitForTimeout(500);
  await expect(banner).toHaveCount(0);
  await page.getByTestId('tab-close').click();
  await expect(term).toHaveCount(0);

  // new text: shown again
  server.setBanner(NEW_NOTICE);
  await rowAction(row, 'row-connect');
  await expect(banner.getByTestId('banner-text')).toHaveText(/^Maintenance tonight 22:00 UTC\.\s*$/, { timeout: 20_000 });
  await banner.getByTestId('prompt-reject').click();
  await expect(banner).toHaveCount(0);
  await expect(term.locator('.xterm-rows')).toContainText('banner-shell-ready');
  await expect(page).toHaveTitle(title);
});
