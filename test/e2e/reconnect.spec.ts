// Reconnect as a user sees it: the sshd process serving the session is killed; the tab shows the loss
// and a countdown, comes back by itself, and the shell is in the directory the user was in.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startSshd, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';

const appUrl = () => `${process.env.WARREN_E2E_URL}&renderer=dom`;
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
  await page.goto(appUrl());
  await page.getByTestId('new-host').click();
  const he = page.getByTestId('host-editor');
  await he.locator('[name=name]').fill('rc-box');
  await he.locator('[name=hostname]').fill('127.0.0.1');
  await he.locator('[name=port]').fill(String(sshd.port));
  await he.locator('[name=user]').fill(TEST_USER);
  await he.locator('[name=auth]').selectOption('password');
  await he.locator('[name=password]').fill(TEST_PASSWORD);
  await he.getByTestId('save').click();
  const vault = page.locator('[data-testid=prompt][data-kind=vault]');
  const row = page.locator('[data-testid=host-row][data-name=rc-box]');
  await expect(row.or(vault).first()).toBeVisible();
  if (await vault.isVisible()) {
    for (const input of await vault.getByTestId('prompt-input').all()) await input.fill('e2e-vault-pass');
    await vault.getByTestId('prompt-accept').click();
  }
  await row.hover();
  await row.getByTestId('row-connect').click();
  // the host key may be known already (another spec connected to this sshd): accept it if asked
  const hk = page.locator('[data-testid=prompt][data-kind=hostkey]');
  const term = page.locator('[data-testid=terminal][data-active=true]');
  await expect(async () => {
    if (await hk.isVisible()) await hk.getByTestId('prompt-accept').click();
    await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 500 });
  }).toPass({ timeout: 20_000 });

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
