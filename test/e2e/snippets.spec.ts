// Snippets as a user makes and runs them: written in Settings (for one host, or everywhere), run from the
// palette into the terminal shown, a placeholder asked for first; they outlast a reload. Real sshd, Chromium.
import { expect, test, type Page } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, createHost, rowAction } from './app.js';

let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  const { client, close } = await contract();
  try {
    const host = (await client.call('tree.get', {})).hosts.find((h) => h.name === NAME);
    if (host) await client.call('items.delete', { hostIds: [host.id], groupIds: [] });
    for (const s of (await client.call('settings.get', {})).snippets) await client.call('snippets.delete', { id: s.id });
  } finally {
    close();
  }
  await sshd.stop();
});

const NAME = 'snippet-box';

async function newSnippet(page: Page, s: { name: string; scope: string; command: string }) {
  await page.getByTestId('snippet-new').click();
  const editor = page.getByTestId('snippet-editor');
  await editor.locator('[name=name]').fill(s.name);
  await editor.locator('[name=scope]').selectOption({ label: s.scope });
  await editor.locator('[name=command]').fill(s.command);
  await editor.getByTestId('save').click();
  await expect(editor).toHaveCount(0);
  await expect(page.locator(`[data-testid=snippet-row][data-name="${s.name}"]`)).toBeVisible();
}

async function runFromPalette(page: Page, query: string) {
  await page.keyboard.press('Control+Shift+P');
  await page.getByTestId('palette-input').fill(query);
  await expect(page.getByTestId('palette-item').first()).toContainText(query.replace(/^run /, 'Run '));
  await page.getByTestId('palette-input').press('Enter');
}

test('a snippet with placeholders, one without, and one of two lines run in the terminal shown; they outlast a reload', async ({ page }) => {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await createHost(page, { name: NAME, port: sshd.port });
  await page.getByTestId('view-settings').click();
  await newSnippet(page, { name: 'multiply', scope: `Host ${NAME}`, command: 'echo "product: $(( {{a:6}} * {{b}} ))"' });
  await newSnippet(page, { name: 'greet', scope: 'Every host', command: 'echo hello-from-a-snippet' });
  await newSnippet(page, { name: 'two lines', scope: 'Every host', command: 'echo first-line-ran\necho second-line-ran' });
  await page.getByTestId('snippets-anchor').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test/output/e2e/snippets-settings.png' });

  await rowAction(page.locator(`[data-testid=host-row]:not([data-section])[data-name="${NAME}"]`), 'row-connect');
  const term = page.locator('[data-testid=terminal][data-active=true]');
  await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
  const rows = term.locator('.xterm-rows');

  await runFromPalette(page, 'run snippet multiply');
  const dialog = page.getByTestId('snippet-run');
  await expect(dialog.locator('[name=a]')).toHaveValue('6');
  await dialog.locator('[name=b]').fill('7');
  await expect(page.getByTestId('snippet-preview')).toHaveText('echo "product: $(( 6 * 7 ))"');
  await page.screenshot({ path: 'test/output/e2e/snippets-run.png' });
  await page.getByTestId('snippet-run-go').click();
  await expect(rows).toContainText('product: 42');

  await runFromPalette(page, 'run snippet greet');
  await expect(rows).toContainText(/hello-from-a-snippet.*hello-from-a-snippet/); // its echo, and what it printed
  await runFromPalette(page, 'run snippet two lines');
  await expect(rows).toContainText(/first-line-ran.*first-line-ran/);
  await expect(rows).toContainText(/second-line-ran.*second-line-ran/);

  // split and broadcasting: a snippet goes to every receiving pane, once each
  await term.click();
  await page.keyboard.press('Control+Shift+E');
  const panes = page.locator('[data-testid=tab-panes][data-active=true]').getByTestId('terminal');
  await expect(panes).toHaveCount(2);
  for (const p of [panes.nth(0), panes.nth(1)]) await expect(p).toHaveAttribute('data-session-id', /.+/);
  await page.keyboard.press('Control+Shift+B');
  await runFromPalette(page, 'run snippet multiply');
  await page.getByTestId('snippet-run').locator('[name=b]').fill('8');
  await page.getByTestId('snippet-run-go').click();
  for (const p of [panes.nth(0), panes.nth(1)]) await expect(p.locator('.xterm-rows')).toContainText('product: 48');
  await page.keyboard.press('Control+Shift+B');

  // a reload keeps them; a deleted one is gone from the palette
  await page.reload();
  await page.getByTestId('view-settings').click();
  await expect(page.getByTestId('snippet-row')).toHaveCount(3);
  await page.getByRole('button', { name: 'Delete greet' }).click();
  await expect(page.getByTestId('snippet-row')).toHaveCount(2);
  await rowAction(page.locator(`[data-testid=host-row]:not([data-section])[data-name="${NAME}"]`), 'row-connect');
  await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
  await page.keyboard.press('Control+Shift+P');
  await page.getByTestId('palette-input').fill('run snippet');
  const offered = page.getByTestId('palette-item').filter({ hasText: 'Run snippet' });
  // the one run last first
  await expect(offered).toHaveText([/Run snippet multiply/, /Run snippet two lines/]);
});
