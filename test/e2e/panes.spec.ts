// Split panes as a user works them: split the terminal right (its menu) and then down (Ctrl+Shift+O),
// a shell in each pane on the host's one connection, the focus moved with Ctrl+Shift+arrows, the divider
// dragged, one pane zoomed and back, panes closed until one is left. Real sshd, real Chromium.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { contract, openHost, runInTerminal, screenText } from './app.js';

// its own sshd: the shared one's first host-key question belongs to terminal.spec
let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  const { client, close } = await contract();
  try {
    const ids = (await client.call('tree.get', {})).hosts.filter((h) => h.name.startsWith('panes-')).map((h) => h.id);
    if (ids.length) await client.call('items.delete', { hostIds: ids, groupIds: [] });
  } finally {
    close();
  }
  await sshd.stop();
});

const area = (page: Page) => page.locator('[data-testid=tab-panes][data-active=true]');
const panes = (page: Page) => area(page).getByTestId('terminal');
const visiblePanes = (page: Page) => area(page).locator('[data-testid=terminal]:not([data-hidden=true])');
const focused = (page: Page) => page.locator('[data-testid=terminal][data-active=true]');
const box = async (l: Locator) => (await l.boundingBox())!;

async function paneMenu(pane: Locator, item: string): Promise<void> {
  await pane.click({ button: 'right', position: { x: 60, y: 60 } });
  await pane.page().getByTestId('context-menu').getByTestId(item).click();
}

test('split right and down, 42 in each pane, focus keys, drag the divider, zoom, close panes', async ({ page }) => {
  await openHost(page, { name: 'panes-box', port: sshd.port }, 'row-connect');
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  const connectionId = await focused(page).getAttribute('data-connection-id');

  // split right from the terminal's menu, then down from the new pane with the key
  await paneMenu(panes(page).first(), 'pane-menu-split-right');
  await expect(panes(page)).toHaveCount(2);
  await expect(panes(page).nth(1)).toHaveAttribute('data-active', 'true');
  await expect(panes(page).nth(1)).toHaveAttribute('data-session-id', /.+/);
  await page.keyboard.press('Control+Shift+O');
  await expect(panes(page)).toHaveCount(3);
  await expect(panes(page).nth(2)).toHaveAttribute('data-active', 'true');
  await expect(page.locator('[data-testid=tab][data-state=open]')).toHaveCount(1);
  await expect(page.getByTestId('tab')).toHaveCount(1);

  // a | (b / c): a on the left, b above c on the right
  const [a, b, c] = [panes(page).nth(0), panes(page).nth(1), panes(page).nth(2)];
  const [ba, bb, bc] = [await box(a), await box(b), await box(c)];
  expect(ba.x + ba.width).toBeLessThanOrEqual(bb.x + 1);
  expect(Math.abs(bb.x - bc.x)).toBeLessThan(2);
  expect(bb.y + bb.height).toBeLessThanOrEqual(bc.y + 1);
  expect(ba.height).toBeGreaterThan(bb.height * 1.8);

  // each pane is its own shell on the one connection
  for (const pane of [a, b, c]) {
    await expect(pane).toHaveAttribute('data-session-id', /.+/);
    expect(await pane.getAttribute('data-connection-id')).toBe(connectionId);
    await runInTerminal(page, pane, 'echo $((6*7))', /^42$/m);
  }
  const sessions = await Promise.all([a, b, c].map((p) => p.getAttribute('data-session-id')));
  expect(new Set(sessions).size).toBe(3);
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-connections', '1');
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-sessions', '3');
  await page.screenshot({ path: 'test/output/e2e/panes-three.png' });

  // Ctrl+Shift+arrows move the keys between panes; what is typed goes to that pane's shell only
  await expect(c).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('Control+Shift+ArrowLeft');
  await expect(a).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('Control+Shift+ArrowRight');
  await expect(b).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('Control+Shift+ArrowDown');
  await expect(c).toHaveAttribute('data-active', 'true');
  await page.keyboard.type('echo keys-$((3*3))');
  await page.keyboard.press('Enter');
  await expect.poll(async () => /^keys-9$/m.test(await screenText(c))).toBe(true);
  expect(await screenText(b)).not.toMatch(/keys-9/);
  expect(await screenText(a)).not.toMatch(/keys-9/);

  // drag the divider between a and the right column 200 px left: a narrows, its shell is told
  const colsBefore = Number(await a.getAttribute('data-cols'));
  const line = area(page).locator('[data-testid=pane-divider][data-dir=row]');
  const lb = await box(line);
  // grabbed a quarter of the way down: its middle is where the right column's divider starts
  const y = lb.y + lb.height / 4;
  await page.mouse.move(lb.x + lb.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(lb.x + lb.width / 2 - 100, y, { steps: 4 });
  await page.mouse.move(lb.x + lb.width / 2 - 200, y, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => (await box(a)).width).toBeLessThan(ba.width - 150);
  expect((await box(b)).width).toBeGreaterThan(bb.width + 150);
  await expect.poll(async () => Number(await a.getAttribute('data-cols'))).toBeLessThan(colsBefore - 15);
  const cols = Number(await a.getAttribute('data-cols'));
  const [stty] = await runInTerminal(page, a, 'clear; stty size', new RegExp(`^\\d+ ${cols}$`, 'm'));
  await page.screenshot({ path: 'test/output/e2e/panes-dragged.png' });
  // the divider from the keyboard: focused, → moves it right by a twentieth
  const before = Number(await line.getAttribute('aria-valuenow'));
  await line.focus();
  await page.keyboard.press('ArrowRight');
  await expect(line).toHaveAttribute('aria-valuenow', String(before + 5));

  // zoom b with the key: it alone fills the tab, the others keep running behind it; the menu unzooms
  await b.click();
  await expect(b).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('Control+Shift+Z');
  await expect(area(page)).toHaveAttribute('data-zoomed', 'true');
  await expect(visiblePanes(page)).toHaveCount(1);
  const whole = await box(area(page));
  await expect.poll(async () => (await box(b)).width).toBeGreaterThan(whole.width - 2);
  expect((await box(b)).height).toBeGreaterThan(whole.height - 2);
  await expect(b.getByTestId('pane-zoomed')).toHaveText(/Zoomed · 1 of 3/);
  await runInTerminal(page, b, 'echo zoomed-$((6*7))', /^zoomed-42$/m);
  await page.screenshot({ path: 'test/output/e2e/panes-zoomed.png' });
  await paneMenu(b, 'pane-menu-zoom');
  await expect(area(page)).toHaveAttribute('data-zoomed', 'false');
  await expect(visiblePanes(page)).toHaveCount(3);
  await expect(a).toContainText(stty);

  // close b with Ctrl+Shift+W: c takes the right column; then c from its menu: a fills the tab
  await b.click();
  await page.keyboard.press('Control+Shift+W');
  await expect(panes(page)).toHaveCount(2);
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-sessions', '2');
  await expect.poll(async () => (await box(panes(page).nth(1))).height).toBeGreaterThan(whole.height - 2);
  await paneMenu(panes(page).nth(1), 'pane-menu-close');
  await expect(panes(page)).toHaveCount(1);
  await expect(page.getByTestId('tab')).toHaveCount(1);
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-sessions', '1');
  await expect.poll(async () => (await box(panes(page).first())).width).toBeGreaterThan(whole.width - 2);
  // the first shell is the one it was: its output is still there
  await expect(panes(page).first()).toContainText(stty);
  await runInTerminal(page, panes(page).first(), 'echo last-$((40+2))', /^last-42$/m);
  // with one pane, Ctrl+Shift+W closes the tab
  await page.keyboard.press('Control+Shift+W');
  await expect(page.getByTestId('tab')).toHaveCount(0);
});

test('broadcast: typed once, 42 in three panes, each framed; chosen panes and tabs; one key stops it', async ({ page }) => {
  await openHost(page, { name: 'panes-cast', port: sshd.port }, 'row-connect');
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await focused(page).click();
  await page.keyboard.press('Control+Shift+E');
  await page.keyboard.press('Control+Shift+O');
  await expect(panes(page)).toHaveCount(3);
  const [a, b, c] = [panes(page).nth(0), panes(page).nth(1), panes(page).nth(2)];
  for (const pane of [a, b, c]) await expect(pane).toHaveAttribute('data-session-id', /.+/);
  const once = (re: RegExp) => async (pane: Locator) => ((await screenText(pane)).match(new RegExp(re.source, 'gm')) ?? []).length;

  // Ctrl+Shift+B: the tab's three panes receive, each says so
  await page.keyboard.press('Control+Shift+B');
  for (const pane of [a, b, c]) {
    await expect(pane).toHaveAttribute('data-broadcast', 'true');
    await expect(pane.getByTestId('pane-broadcast')).toHaveText(/Broadcast · 3$/);
  }
  await expect(page.getByTestId('tab').first()).toHaveAttribute('data-broadcast', 'all');
  await page.keyboard.type('echo $((6*7))');
  await page.keyboard.press('Enter');
  // 42 once in each pane: every shell got the line, and got it once
  for (const pane of [a, b, c]) await expect.poll(() => once(/^42$/)(pane)).toBe(1);
  await page.screenshot({ path: 'test/output/e2e/panes-broadcast.png' });

  // the same key stops it: the frames go, and typing reaches the focused pane alone
  await page.keyboard.press('Control+Shift+B');
  for (const pane of [a, b, c]) await expect(pane).toHaveAttribute('data-broadcast', 'false');
  await expect(page.getByTestId('pane-broadcast')).toHaveCount(0);
  await page.keyboard.type('echo solo-$((2+3))');
  await page.keyboard.press('Enter');
  await expect.poll(() => once(/^solo-5$/)(c)).toBe(1);
  expect(await once(/^solo-5$/)(a)).toBe(0);
  expect(await once(/^solo-5$/)(b)).toBe(0);

  // chosen panes, from their menus: a and c receive, b does not
  await paneMenu(a, 'pane-menu-broadcast-pane');
  await paneMenu(c, 'pane-menu-broadcast-pane');
  await expect(a).toHaveAttribute('data-broadcast', 'true');
  await expect(b).toHaveAttribute('data-broadcast', 'false');
  await expect(c.getByTestId('pane-broadcast')).toHaveText(/Broadcast · 2$/);
  await expect(page.getByTestId('tab').first()).toHaveAttribute('data-broadcast', 'some');
  await c.click();
  await page.keyboard.type('echo pair-$((5*5))');
  await page.keyboard.press('Enter');
  await expect.poll(() => once(/^pair-25$/)(a)).toBe(1);
  await expect.poll(() => once(/^pair-25$/)(c)).toBe(1);
  expect(await once(/^pair-25$/)(b)).toBe(0);
  // a click on a badge stops it too
  await a.getByTestId('pane-broadcast').click();
  await expect(page.getByTestId('pane-broadcast')).toHaveCount(0);

  // chosen tabs, from the tab menu: a second tab and the first, four panes in all
  await c.click();
  await page.keyboard.press('Control+Shift+T');
  await expect(page.getByTestId('tab')).toHaveCount(2);
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await tabMenuOf(page, 1, 'tab-menu-broadcast');
  await tabMenuOf(page, 0, 'tab-menu-broadcast');
  await expect(page.getByTestId('tab').nth(1)).toHaveAttribute('data-broadcast', 'all');
  await expect(focused(page).getByTestId('pane-broadcast')).toHaveText(/Broadcast · 4$/);
  await focused(page).click();
  await page.keyboard.type('echo tabs-$((7*6))');
  await page.keyboard.press('Enter');
  await expect.poll(() => once(/^tabs-42$/)(focused(page))).toBe(1);
  // the first tab's three panes got it too (xterm draws a hidden tab once it is shown)
  await page.keyboard.press('Alt+1');
  for (const pane of [a, b, c]) await expect.poll(() => once(/^tabs-42$/)(pane)).toBe(1);
  await page.keyboard.press('Control+Shift+B');
  await expect(page.locator('[data-testid=terminal][data-broadcast=true]')).toHaveCount(0);
});

async function tabMenuOf(page: Page, index: number, item: string): Promise<void> {
  await page.getByTestId('tab').nth(index).click({ button: 'right' });
  await page.getByTestId('context-menu').getByTestId(item).click();
}
