// A host's colour, set in its editor: on its row, on its tab's stripe and as its terminal's edge (computed
// styles, not only attributes); the tab's own colour then wins on both. Real sshd, real Chromium.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, createHost, rowAction } from './app.js';

// its own sshd: the shared one's first host-key question belongs to terminal.spec
let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  const { client, close } = await contract();
  try {
    const ids = (await client.call('tree.get', {})).hosts.filter((h) => h.name.startsWith('color-')).map((h) => h.id);
    if (ids.length) await client.call('items.delete', { hostIds: ids, groupIds: [] });
  } finally {
    close();
  }
  await sshd.stop();
});

const RED = 'rgb(229, 72, 77)';
const BLUE = 'rgb(62, 99, 221)';
type Prop = 'boxShadow' | 'outlineColor' | 'outlineStyle' | 'outlineWidth';
/** a computed style of the element (the page's own getComputedStyle; this file is compiled without the DOM's types) */
const style = (l: Locator, prop: Prop) =>
  l.evaluate((el, p) => (globalThis as unknown as { getComputedStyle(e: unknown): Record<Prop, string> }).getComputedStyle(el)[p], prop);
const pane = (page: Page) => page.locator('[data-testid=terminal][data-active=true]');

test("a host's colour from its editor shows on its row, its tab and its terminal's edge; the tab's own colour wins", async ({ page }) => {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await createHost(page, { name: 'color-prod', port: sshd.port });
  const row = page.locator('[data-testid=host-row]:not([data-section])[data-name="color-prod"]');
  await expect(row).not.toHaveAttribute('data-color');

  await rowAction(row, 'row-edit');
  const editor = page.getByTestId('host-editor');
  await editor.getByTestId('color-swatch-1').click();
  await expect(editor.locator('[name=color]')).toHaveValue('#e5484d');
  await editor.screenshot({ path: 'test/output/e2e/host-color-editor.png' });
  await editor.getByTestId('save').click();
  await expect(editor).toHaveCount(0);
  await expect(row).toHaveAttribute('data-color', '#e5484d');
  expect(await style(row, 'boxShadow')).toContain(RED);

  await rowAction(row, 'row-connect');
  await expect(pane(page)).toHaveAttribute('data-session-id', /.+/);
  const tab = page.getByTestId('tab').first();
  await expect(tab).toHaveAttribute('data-shown-color', '#e5484d');
  await expect(tab).not.toHaveAttribute('data-color'); // the tab has none of its own
  expect(await style(tab, 'boxShadow')).toContain(RED);
  expect([await style(pane(page), 'outlineStyle'), await style(pane(page), 'outlineWidth'), await style(pane(page), 'outlineColor')]).toEqual([
    'solid',
    '2px',
    RED,
  ]);
  await page.screenshot({ path: 'test/output/e2e/host-color.png' });

  // the tab's own colour (blue) wins over the host's, on the tab and on the edge
  await tab.click({ button: 'right' });
  await page.getByTestId('tab-menu-color-6').click();
  await expect(tab).toHaveAttribute('data-color', '#3e63dd');
  await expect.poll(() => style(pane(page), 'outlineColor')).toBe(BLUE);
  expect(await style(tab, 'boxShadow')).toContain(BLUE);
  // and taken off again: the host's red is back
  await tab.click({ button: 'right' });
  await page.getByTestId('tab-menu-color-none').click();
  await expect.poll(() => style(pane(page), 'outlineColor')).toBe(RED);
  await page.getByTestId('tab-close').click();
});
