// The workspace survives: two tabs (one split in two, one in /tmp, renamed and red), the page reloaded
// and then browser mode's server restarted on the same data dir, and the same tabs, titles, colours,
// split and active tab come back, connected, the /tmp shell back in /tmp. "Restore the workspace" off:
// nothing comes back. A quick-connect tab comes back too; a deleted host's tab does not, and a notice
// says so once. Its own sshd and its own browser-mode server (the shared one runs with --no-restore).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { StoredWorkspace } from '../../shared/workspace.js';
import { openWs, protocolsFor, seedTerminalSettings, startServe, wsClient, type ServeProcess } from '../harness/browser.js';
import { startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, createHost, E2E_TERMINAL_SETTINGS, rowAction, runInTerminal } from './app.js';

test.describe.configure({ mode: 'serial' });

let sshd: Sshd;
let server: ServeProcess;
let dataDir: string;
test.beforeAll(async () => {
  sshd = await startSshd();
  dataDir = await tempDir('warren-e2e-workspace-');
  await seedTerminalSettings(dataDir, E2E_TERMINAL_SETTINGS);
  server = await startServe({ dataDir });
});
test.afterAll(async () => {
  await server.stop();
  await sshd.stop();
});

const urlOf = (s: ServeProcess) => `http://127.0.0.1:${s.port}/?renderer=dom#token=${s.token}`;
const tabs = (page: Page) => page.getByTestId('tab');
const titles = async (page: Page) => Promise.all((await tabs(page).all()).map((t) => t.getAttribute('title')));
const area = (page: Page) => page.locator('[data-testid=tab-panes][data-active=true]');
const focused = (page: Page) => page.locator('[data-testid=terminal][data-active=true]');
const row = (page: Page, name: string) => page.locator(`[data-testid=host-row]:not([data-section])[data-name="${name}"]`);

/** the workspace as the server keeps it in settings.json */
async function stored(): Promise<StoredWorkspace | null> {
  const doc = JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { workspace: StoredWorkspace | null };
  return doc.workspace;
}

async function prepare(page: Page): Promise<void> {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.addLocatorHandler(page.locator('[data-testid=prompt][data-kind=password]'), async (pw) => {
    await pw.getByTestId('prompt-input').fill(TEST_PASSWORD);
    await pw.getByTestId('prompt-accept').click();
  });
}

/** the two tabs of the first test, as they were left: db split in two and active, "logs" red and in /tmp */
async function expectRestored(page: Page, shot: string): Promise<void> {
  await expect(tabs(page)).toHaveCount(2);
  await expect.poll(() => titles(page)).toEqual(['ws-box', 'logs']);
  await expect(tabs(page).nth(0)).toHaveAttribute('data-active', 'true');
  await expect(tabs(page).nth(1)).toHaveAttribute('data-color', '#e5484d');
  await expect(area(page)).toHaveAttribute('data-panes', '2');
  for (const pane of await area(page).getByTestId('terminal').all()) await expect(pane).toHaveAttribute('data-session-id', /.+/);
  await expect(page.locator('[data-testid=tab][data-state=open]')).toHaveCount(2);
  await page.screenshot({ path: `test/output/e2e/${shot}` });
  await tabs(page).nth(1).click();
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await runInTerminal(page, focused(page), 'pwd', /^\/tmp$/m);
  // the split tab's shells were never anywhere but home: nothing was typed into them
  await tabs(page).nth(0).click();
  await runInTerminal(page, focused(page), 'pwd', /^\/home\/warren-test$/m);
}

test('two tabs, a split, a name, a colour and a directory come back after a reload and after a server restart', async ({ page }) => {
  await prepare(page);
  await page.goto(urlOf(server));
  await createHost(page, { name: 'ws-box', port: sshd.port });

  // tab 1: split in two
  await rowAction(row(page, 'ws-box'), 'row-connect');
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await focused(page).click();
  await page.keyboard.press('Control+Shift+E');
  await expect(area(page)).toHaveAttribute('data-panes', '2');
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);

  // tab 2: cd /tmp, renamed "logs", coloured red
  await rowAction(row(page, 'ws-box'), 'row-connect');
  await expect(tabs(page)).toHaveCount(2);
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await runInTerminal(page, focused(page), 'cd /tmp', /cd \/tmp/);
  await runInTerminal(page, focused(page), 'pwd', /^\/tmp$/m);
  await tabs(page).nth(1).dblclick();
  await page.getByTestId('tab-rename').fill('logs');
  await page.getByTestId('tab-rename').press('Enter');
  await tabs(page).nth(1).click({ button: 'right' });
  await page.getByTestId('tab-menu-color-1').click();
  await tabs(page).nth(0).click();

  // saved by the server: the layout, and the directory of the pane in /tmp
  await expect
    .poll(async () => {
      const ws = await stored();
      return ws && { active: ws.active, names: ws.tabs.map((t) => t.name ?? t.title), cwds: Object.values(ws.cwds) };
    })
    .toEqual({ active: 0, names: ['ws-box', 'logs'], cwds: ['/tmp'] });

  await page.reload();
  await expectRestored(page, 'workspace-reloaded.png');

  // the server restarted on the same data dir (once it has the tab made active last): a new port and token, the same workspace
  await expect.poll(async () => (await stored())?.active).toBe(0);
  await server.stop();
  server = await startServe({ dataDir });
  await page.goto(urlOf(server));
  await expectRestored(page, 'workspace-restarted.png');
});

test('with "Restore the workspace" off, a reload brings nothing back', async ({ page }) => {
  await prepare(page);
  await page.goto(urlOf(server));
  await expect(tabs(page)).toHaveCount(2); // the last test's tabs, restored
  await page.getByTestId('view-settings').click();
  const box = page.locator('[name=restoreWorkspace]');
  await expect(box).toBeChecked();
  await box.click();
  await expect(box).not.toBeChecked();
  await page.getByTestId('view-terminals').click();
  // a change after it is switched off saves nothing, and clears what was kept
  await tabs(page).nth(1).getByTestId('tab-close').click();
  await expect.poll(stored).toBeNull();
  await page.reload();
  await expect(page.locator('.workspace .workspace-empty')).toBeVisible();
  await page.waitForTimeout(1000);
  await expect(tabs(page)).toHaveCount(0);
  await page.screenshot({ path: 'test/output/e2e/workspace-off.png' });
});

test("a quick-connect tab comes back; a deleted host's tab does not, and a notice says so once", async ({ page }) => {
  await prepare(page);
  await page.goto(urlOf(server));
  await page.getByTestId('view-settings').click();
  await page.locator('[name=restoreWorkspace]').click();
  await expect(page.locator('[name=restoreWorkspace]')).toBeChecked();
  await page.getByTestId('view-terminals').click();

  await page.getByTestId('quick-connect').fill(`${TEST_USER}@127.0.0.1:${sshd.port}`);
  await page.getByTestId('quick-connect').press('Enter');
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await createHost(page, { name: 'ws-gone', port: sshd.port });
  await rowAction(row(page, 'ws-gone'), 'row-connect');
  await expect(tabs(page)).toHaveCount(2);
  await expect.poll(async () => (await stored())?.tabs.length).toBe(2);
  const quickTitle = (await titles(page))[0];

  // the host deleted through the contract (setup, not what is under test)
  const ws = await openWs(server.port, protocolsFor(server.token), { Origin: `http://127.0.0.1:${server.port}` });
  try {
    const client = wsClient(ws);
    const gone = (await client.call('tree.get', {})).hosts.find((h) => h.name === 'ws-gone')!;
    await client.call('items.delete', { hostIds: [gone.id], groupIds: [] });
  } finally {
    ws.close();
  }
  await expect(row(page, 'ws-gone')).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId('notice')).toContainText('The tab "ws-gone" was not restored: its host has been deleted.');
  await expect.poll(() => titles(page)).toEqual([quickTitle]);
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await runInTerminal(page, focused(page), 'echo quick-$((6*7))', /^quick-42$/m);
  await page.screenshot({ path: 'test/output/e2e/workspace-dropped.png' });
  // said once: the saved workspace no longer holds it
  await expect.poll(async () => (await stored())?.tabs.length).toBe(1);
  await page.reload();
  await expect.poll(() => titles(page)).toEqual([quickTitle]);
  await page.waitForTimeout(500);
  await expect(page.getByTestId('notice')).toHaveCount(0);
});
