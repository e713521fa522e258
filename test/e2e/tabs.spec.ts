// Terminal tabs as a user works them: rename (double-click and the tab's menu), duplicate (numbered
// `host (2)`), a colour, drag to reorder, the tab keys and ←/→ in the tab bar, close others; and 30 tabs
// to one host, whose bar scrolls and keeps the active tab in view (30 shells: sshd's MaxSessions of 10
// per connection puts them on three connections). Real sshd, real Chromium.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { contract, openHost, runInTerminal } from './app.js';

// its own sshd: the shared one's first host-key question belongs to terminal.spec
let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  const { client, close } = await contract();
  try {
    const ids = (await client.call('tree.get', {})).hosts.filter((h) => h.name.startsWith('tabs-')).map((h) => h.id);
    if (ids.length) await client.call('items.delete', { hostIds: ids, groupIds: [] });
  } finally {
    close();
  }
  await sshd.stop();
});

const tabs = (page: Page) => page.getByTestId('tab');
// textContent: a numbered title is two flex items, which innerText would put on two lines
const titles = async (page: Page) => (await tabs(page).locator('.tab-title').allTextContents()).map((t) => t.trim());
const activeTerm = (page: Page) => page.locator('[data-testid=terminal][data-active=true]');

async function tabMenu(tab: Locator, item: string): Promise<void> {
  await tab.click({ button: 'right' });
  await tab.page().getByTestId('context-menu').getByTestId(item).click();
}

/** whether the whole tab lies inside the tab bar's visible part */
async function inView(page: Page, tab: Locator): Promise<boolean> {
  const [t, b] = await Promise.all([tab.boundingBox(), page.getByTestId('tabbar').boundingBox()]);
  return t !== null && b !== null && t.x >= b.x - 1 && t.x + t.width <= b.x + b.width + 1;
}

test('rename, duplicate as db (2), colour, drag to reorder, keys, close others', async ({ page }) => {
  await openHost(page, { name: 'tabs-db', port: sshd.port }, 'row-connect');
  await expect(page.locator('[data-testid=tab][data-state=open]')).toHaveCount(1);
  await runInTerminal(page, activeTerm(page), 'echo $((6*7))', /^42$/m);

  // duplicate from the menu, then Ctrl+Shift+T from the terminal: numbered, each its own shell
  await tabMenu(tabs(page).first(), 'tab-menu-duplicate');
  await expect(tabs(page)).toHaveCount(2);
  await activeTerm(page).click();
  await page.keyboard.press('Control+Shift+T');
  await expect.poll(() => titles(page)).toEqual(['tabs-db', 'tabs-db (2)', 'tabs-db (3)']);
  await expect(page.locator('[data-testid=tab][data-state=open]')).toHaveCount(3);
  await runInTerminal(page, activeTerm(page), 'echo third-$((1+2))', /^third-3$/m);

  // rename by double-click, and from the menu; Escape leaves a name as it was
  await tabs(page).nth(1).dblclick();
  await page.getByTestId('tab-rename').fill('api logs');
  await page.getByTestId('tab-rename').press('Enter');
  await tabMenu(tabs(page).first(), 'tab-menu-rename');
  await page.getByTestId('tab-rename').fill('primary');
  await page.getByTestId('tab-rename').press('Enter');
  await tabs(page).nth(2).dblclick();
  await page.getByTestId('tab-rename').fill('not this');
  await page.getByTestId('tab-rename').press('Escape');
  await expect.poll(() => titles(page)).toEqual(['primary', 'api logs', 'tabs-db (3)']);

  // a colour from the menu's swatches (the sixth: blue), shown on the tab
  await tabs(page).nth(2).click({ button: 'right' });
  await expect(page.getByTestId('tab-menu-color')).toBeVisible();
  await page.screenshot({ path: 'test/output/e2e/tabs-menu.png' });
  await page.getByTestId('tab-menu-color-6').click();
  await expect(tabs(page).nth(2)).toHaveAttribute('data-color', '#3e63dd');

  // and from the keyboard: Shift+F10 on the tab, ↓ to the swatches (the chosen one), → to orange, Enter
  await tabs(page).nth(1).focus();
  await page.keyboard.press('Shift+F10');
  await expect(page.getByTestId('tab-menu-rename')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('tab-menu-color-none')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(tabs(page).nth(1)).toHaveAttribute('data-color', '#f76b15');
  await expect(tabs(page).nth(1)).toBeFocused();

  // drag the third tab before the first
  await tabs(page)
    .nth(2)
    .dragTo(tabs(page).first(), { targetPosition: { x: 8, y: 12 } });
  await expect.poll(() => titles(page)).toEqual(['tabs-db (3)', 'primary', 'api logs']);
  await expect(tabs(page).first()).toHaveAttribute('data-color', '#3e63dd');

  // ←/→ in the tab bar move between tabs and keep the focus there
  await tabs(page).first().click();
  await tabs(page).first().focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(tabs(page).nth(2)).toHaveAttribute('data-active', 'true');
  await expect(tabs(page).nth(2)).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(tabs(page).nth(1)).toHaveAttribute('data-active', 'true');

  // Alt+N, Ctrl+Tab, Ctrl+Shift+Tab from the terminal, and the shell still gets what it should
  await activeTerm(page).click();
  await page.keyboard.press('Alt+1');
  await expect(tabs(page).first()).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('Control+Tab');
  await expect(tabs(page).nth(1)).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('Control+Shift+Tab');
  await page.keyboard.press('Control+Shift+Tab');
  await expect(tabs(page).nth(2)).toHaveAttribute('data-active', 'true');
  await runInTerminal(page, activeTerm(page), 'echo api-$((40+2))', /^api-42$/m);
  await page.screenshot({ path: 'test/output/e2e/tabs.png' });

  // close others, from the menu of the one to keep
  await tabMenu(tabs(page).nth(1), 'tab-menu-close-others');
  await expect.poll(() => titles(page)).toEqual(['primary']);
  await expect(tabs(page).first()).toHaveAttribute('data-active', 'true');
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-sessions', '1');
  // Ctrl+Shift+W closes the last
  await activeTerm(page).click();
  await page.keyboard.press('Control+Shift+W');
  await expect(tabs(page)).toHaveCount(0);
});

test('30 tabs: the bar scrolls, the active tab stays in view, and every shell opens (three connections)', async ({ page }) => {
  test.setTimeout(120_000);
  await openHost(page, { name: 'tabs-many', port: sshd.port }, 'row-connect');
  await expect(page.locator('[data-testid=tab][data-state=open]')).toHaveCount(1);
  await activeTerm(page).click();
  for (let i = 0; i < 29; i++) await page.keyboard.press('Control+Shift+T');
  await expect(tabs(page)).toHaveCount(30);
  await expect(page.locator('[data-testid=tab][data-state=open]')).toHaveCount(30, { timeout: 60_000 });
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-sessions', '30');
  // sshd allows 10 sessions on a connection: 30 shells ride three
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-connections', '3');

  const bar = page.getByTestId('tabbar');
  const widths = await bar.evaluate((el) => [(el as unknown as { scrollWidth: number }).scrollWidth, (el as unknown as { clientWidth: number }).clientWidth]);
  expect(widths[0]).toBeGreaterThan(widths[1]! * 2);
  const last = tabs(page).last();
  await expect(last).toHaveAttribute('data-active', 'true');
  await expect(last.locator('.tab-title')).toHaveText('tabs-many (30)');
  expect(await inView(page, last)).toBe(true);
  expect(await inView(page, tabs(page).first())).toBe(false);
  await page.screenshot({ path: 'test/output/e2e/tabs-30-end.png' });

  // Alt+1 brings the first into view; Ctrl+Shift+Tab wraps round to the last, which comes back into view
  await page.keyboard.press('Alt+1');
  await expect(tabs(page).first()).toHaveAttribute('data-active', 'true');
  await expect.poll(() => inView(page, tabs(page).first())).toBe(true);
  expect(await inView(page, last)).toBe(false);
  await page.keyboard.press('Control+Shift+Tab');
  await expect(last).toHaveAttribute('data-active', 'true');
  await expect.poll(() => inView(page, last)).toBe(true);
  // the 30th shell, on the third connection, answers
  await runInTerminal(page, activeTerm(page), 'echo $((6*7))', /^42$/m);

  // a tab in the middle, reached with the arrows from the bar, is scrolled into view too
  await tabs(page).nth(14).scrollIntoViewIfNeeded();
  await tabs(page).nth(14).click();
  await tabs(page).nth(14).focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await expect(tabs(page).nth(24)).toHaveAttribute('data-active', 'true');
  await expect.poll(() => inView(page, tabs(page).nth(24))).toBe(true);
  await page.screenshot({ path: 'test/output/e2e/tabs-30-middle.png' });
});
