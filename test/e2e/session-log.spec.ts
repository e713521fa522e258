// Logging a terminal session to a file as a user does it: the terminal's menu, the dialog (browser mode
// says the file is on the server's machine), the red REC badge naming the file, coloured output, the
// badge clicked to stop; the file in the server's data dir is plain text with a time on each line.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { contract, openHost, runInTerminal } from './app.js';

const HOST = 'log-box';

// its own sshd: the shared one's first host-key question belongs to terminal.spec
let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
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

async function menuItem(page: Page, id: string): Promise<void> {
  await term(page).click({ button: 'right', position: { x: 60, y: 60 } });
  await page.getByTestId('context-menu').getByTestId(id).click();
}

test('log to a file from the menu: the REC badge, coloured output as plain text, stopped from the badge', async ({ page }) => {
  await openHost(page, { name: HOST, port: sshd.port }, 'row-connect');
  await expect(term(page)).toHaveAttribute('data-session-id', /.+/);
  await expect(term(page).getByTestId('term-rec')).toHaveCount(0);

  await menuItem(page, 'pane-menu-log-start');
  const dialog = page.getByTestId('log-dialog');
  await expect(dialog).toBeVisible();
  const logs = path.join(process.env.WARREN_E2E_DATA_DIR!, 'session-logs');
  await expect(dialog.locator('[name=folder]')).toHaveAttribute('placeholder', logs);
  await expect(dialog.getByTestId('log-server-note')).toContainText("written on the machine running Warren's server");
  await dialog.locator('[name=timestamps]').check();
  await page.screenshot({ path: 'test/output/e2e/session-log-dialog.png' });
  await dialog.getByTestId('log-start').click();
  await expect(dialog).toHaveCount(0);

  const rec = term(page).getByTestId('term-rec');
  await expect(rec).toBeVisible();
  const file = (await rec.getAttribute('data-file'))!;
  expect(path.dirname(file)).toBe(logs);
  expect(path.basename(file)).toMatch(/^log-box-\d{8}-\d{6}\.log$/);
  await expect(rec).toHaveAttribute('title', new RegExp(`Logging to ${file.replace(/[.]/g, '\\.')} \\(on the machine running Warren's server\\)`));

  await runInTerminal(page, term(page), "printf '\\e[31mred-%d\\e[0m\\n' 42", /^red-42$/m);
  await rec.hover();
  await page.screenshot({ path: 'test/output/e2e/session-log-rec.png' });

  await rec.click();
  await expect(rec).toHaveCount(0);
  const text = await readFile(file, 'utf8');
  expect(text).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] red-42$/m);
  expect(text).not.toMatch(/[\u001b\r]/);
  expect((await stat(file)).mode & 0o777).toBe(0o600);

  // the menu offers a new log again
  await term(page).click({ button: 'right', position: { x: 60, y: 60 } });
  await expect(page.getByTestId('context-menu').getByTestId('pane-menu-log-start')).toBeVisible();
  await page.keyboard.press('Escape');
});
