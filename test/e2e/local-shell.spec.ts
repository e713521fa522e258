// Local shell tabs as a user meets them in browser mode: + in the tab bar, Ctrl+Shift+L and the palette
// open one ("Local", "Local (2)"), with a laptop icon and a note that the shell runs on the server's
// machine; typed commands run there (as this user, not the SSH host's); a split inside it is local too;
// after a reload the local tabs come back beside the SSH tab, the one that was in /tmp back in /tmp. A
// server started with --no-local-shell refuses one and the pane says why. Its own servers (the shared one
// runs with --no-restore, and nothing here may leak into it) and its own sshd.
import { userInfo } from 'node:os';
import { expect, test, type Page } from '@playwright/test';
import { seedTerminalSettings, startServe, type ServeProcess } from '../harness/browser.js';
import { startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, createHost, E2E_TERMINAL_SETTINGS, rowAction, runInTerminal, screenText } from './app.js';

test.describe.configure({ mode: 'serial' });

let sshd: Sshd;
let server: ServeProcess;
test.beforeAll(async () => {
  sshd = await startSshd();
  server = await startServe({ dataDir: await seeded() });
});
/** a data dir whose settings are the e2e ones (the close question off: this spec closes live tabs) */
async function seeded(): Promise<string> {
  const dataDir = await tempDir('warren-e2e-local-');
  await seedTerminalSettings(dataDir, E2E_TERMINAL_SETTINGS);
  return dataDir;
}
test.afterAll(async () => {
  await server?.stop();
  await sshd?.stop();
});

const urlOf = (s: ServeProcess) => `http://127.0.0.1:${s.port}/?renderer=dom#token=${s.token}`;
const tabs = (page: Page) => page.getByTestId('tab');
const tabTexts = async (page: Page) => (await tabs(page).locator('.tab-title').allTextContents()).map((t) => t.trim());
const focused = (page: Page) => page.locator('[data-testid=tab-panes][data-active=true] [data-testid=terminal][data-active=true]');
const me = userInfo().username;

async function prepare(page: Page): Promise<void> {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.addLocatorHandler(page.locator('[data-testid=prompt][data-kind=password]'), async (pw) => {
    await pw.getByTestId('prompt-input').fill(TEST_PASSWORD);
    await pw.getByTestId('prompt-accept').click();
  });
}

test('local tabs open from +, Ctrl+Shift+L and the palette, run here, split locally, and come back after a reload', async ({ page }) => {
  expect(me).not.toBe(TEST_USER); // what tells a local shell from the SSH host's
  await prepare(page);
  await page.goto(urlOf(server));
  await createHost(page, { name: 'remote-box', port: sshd.port });
  await rowAction(page.locator('[data-testid=host-row]:not([data-section])[data-name="remote-box"]'), 'row-connect');
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/); // (an assertion lets the host-key handler answer)
  await runInTerminal(page, focused(page), 'id -un', new RegExp(`^${TEST_USER}$`, 'm'));

  // +: a local tab, marked as one, saying where it runs
  await expect(page.getByTestId('new-local-shell')).toHaveAttribute('title', /machine running Warren's server \(browser mode\)/);
  await page.getByTestId('new-local-shell').click();
  const local = tabs(page).nth(1);
  await expect(local).toHaveAttribute('data-local', 'true');
  await expect(local).toHaveAttribute('data-active', 'true');
  await expect(local.getByTestId('tab-local-icon')).toBeVisible();
  await expect(local).toHaveAttribute('title', "Local: a shell on the machine running Warren's server (browser mode)");
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await expect.poll(() => screenText(focused(page))).toContain("[Local: a shell on the machine running Warren's server (browser mode)]");
  await runInTerminal(page, focused(page), 'echo $((6*7))', /^42$/m);
  await runInTerminal(page, focused(page), 'id -un', new RegExp(`^${me}$`, 'm'));
  await runInTerminal(page, focused(page), 'cd /tmp && echo "in $PWD"', /^in \/tmp$/m);
  // a local tab has no host files ("Files here") and no connection log; logging to a file it has
  await focused(page).hover();
  await expect(focused(page).getByTestId('term-files-here')).toHaveCount(0);
  await expect(focused(page).getByTestId('term-log')).toHaveCount(0);
  await focused(page).click({ button: 'right' });
  await expect(page.getByTestId('pane-menu-log-start')).toBeVisible();
  await expect(page.getByTestId('pane-menu-files-here')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // Ctrl+Shift+L: the second, numbered; a split inside it is a local shell too
  await page.keyboard.press('Control+Shift+L');
  await expect(tabs(page)).toHaveCount(3);
  await expect.poll(() => tabTexts(page)).toEqual(['remote-box', 'Local', 'Local (2)']);
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await focused(page).click();
  await page.keyboard.press('Control+Shift+E');
  await expect(page.locator('[data-testid=tab-panes][data-active=true]')).toHaveAttribute('data-panes', '2');
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await runInTerminal(page, focused(page), 'id -un', new RegExp(`^${me}$`, 'm'));

  // the palette's "New local shell"
  await page.keyboard.press('Control+Shift+P');
  await page.getByTestId('palette-input').fill('new local shell');
  await expect(page.getByTestId('palette-item').first()).toContainText('New local shell');
  await page.keyboard.press('Enter');
  await expect.poll(() => tabTexts(page)).toEqual(['remote-box', 'Local', 'Local (2)', 'Local (3)']);
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await runInTerminal(page, focused(page), 'echo $((6*7))', /^42$/m);
  await tabs(page).nth(3).getByTestId('tab-close').click();
  await expect(tabs(page)).toHaveCount(3);

  await tabs(page).nth(1).click();
  await page.locator('.tabbar-row').screenshot({ path: 'test/output/e2e/local-shell-tabbar.png' });
  await page.screenshot({ path: 'test/output/e2e/local-shell.png' });

  // reload: the SSH tab and both local tabs come back (the split too), the first local one in /tmp
  await page.waitForTimeout(1000); // the tabs are saved 300 ms after a change, the directory 500 ms after the cd
  await page.reload();
  await expect.poll(() => tabTexts(page)).toEqual(['remote-box', 'Local', 'Local (2)']);
  await expect(tabs(page).nth(1)).toHaveAttribute('data-local', 'true');
  await expect(tabs(page).nth(2)).toHaveAttribute('data-local', 'true');
  await expect(tabs(page).nth(0)).not.toHaveAttribute('data-local', 'true');
  await expect(page.locator('[data-testid=tab][data-state=open]')).toHaveCount(3, { timeout: 20_000 });
  await tabs(page).nth(1).click();
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await runInTerminal(page, focused(page), 'echo "at $PWD $((6*7))"', /^at \/tmp 42$/m);
  await tabs(page).nth(2).click();
  await expect(page.locator('[data-testid=tab-panes][data-active=true]')).toHaveAttribute('data-panes', '2');
  await runInTerminal(page, focused(page), 'id -un', new RegExp(`^${me}$`, 'm'));
  await tabs(page).nth(0).click();
  await runInTerminal(page, focused(page), 'id -un', new RegExp(`^${TEST_USER}$`, 'm'));
});

test('a server started with --no-local-shell refuses a local shell, and the pane says why', async ({ page }) => {
  const off = await startServe({ dataDir: await seeded(), args: ['--no-local-shell'] });
  try {
    await answerVault(page);
    await page.goto(urlOf(off));
    await expect(page.locator('.workspace .workspace-empty')).toContainText('open a local shell with + (Ctrl+Shift+L)');
    await page.screenshot({ path: 'test/output/e2e/local-shell-empty.png' });
    await page.getByTestId('new-local-shell').click();
    const error = page.getByTestId('connect-error');
    await expect(error).toBeVisible();
    await expect(error).toContainText('Local shell');
    await expect(error).toContainText('--no-local-shell');
    await expect(error.getByTestId('diagnose')).toHaveCount(0);
    await expect(tabs(page).first()).toHaveAttribute('data-state', 'failed');
    await page.screenshot({ path: 'test/output/e2e/local-shell-off.png' });
  } finally {
    await off.stop();
  }
});
