// Three settings as a user meets them: "Ask before closing live sessions" (Ctrl+Shift+W, the tab's ×, a
// pane; Cancel keeps the shell, Close ends it, an exited tab closes at once, "Don't ask again" turns it off,
// leaving the page asks), the right-click (menu, paste, copy-or-paste; Shift+right-click is the menu), and a
// rebound shortcut (the new chord acts, the old one no longer does, a refused chord says why, Reset).
// Real sshd, real Chromium. The shared server runs with the question off (E2E_TERMINAL_SETTINGS): this spec
// turns what it changes back in afterAll.
import { expect, test, type Page } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { contract, E2E_TERMINAL_SETTINGS, openHost, runInTerminal, screenText } from './app.js';

let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  const { client, close } = await contract();
  try {
    await client.call('settings.set', { terminal: E2E_TERMINAL_SETTINGS });
    const ids = (await client.call('tree.get', {})).hosts.filter((h) => h.name.startsWith('close-')).map((h) => h.id);
    if (ids.length) await client.call('items.delete', { hostIds: ids, groupIds: [] });
  } finally {
    close();
  }
  await sshd.stop();
});
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const tabs = (page: Page) => page.getByTestId('tab');
const area = (page: Page) => page.locator('[data-testid=tab-panes][data-active=true]');
const focused = (page: Page) => page.locator('[data-testid=terminal][data-active=true]');
const confirm = (page: Page) => page.getByTestId('confirm');
const settings = (page: Page) => page.getByTestId('settings-view');
const keysRow = (page: Page, id: string) => page.locator(`[data-testid=keys-row][data-id="${id}"]`);

async function setting<T>(get: (t: typeof E2E_TERMINAL_SETTINGS) => T): Promise<T> {
  const { client, close } = await contract();
  try {
    return get((await client.call('settings.get', {})).terminal);
  } finally {
    close();
  }
}

/** a tab on `name` whose shell is up */
async function connected(page: Page, name: string): Promise<void> {
  await openHost(page, { name, port: sshd.port }, 'row-connect');
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
}

/** one more tab on the open host, Ctrl+Shift+T, its shell up */
async function another(page: Page, count: number): Promise<void> {
  await focused(page).click();
  await page.keyboard.press('Control+Shift+T');
  await expect(tabs(page)).toHaveCount(count);
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
}

test('closing a live tab asks first: Cancel keeps the shell, Close ends it; an exited tab closes at once; "Don\'t ask again" turns it off', async ({
  page,
}) => {
  await connected(page, 'close-box');
  await page.getByTestId('view-settings').click();
  const ask = settings(page).locator('[name=confirmClose]');
  await expect(ask).not.toBeChecked(); // the e2e server's baseline
  await ask.click(); // saved, then shown: the box follows the server's answer
  await expect(ask).toBeChecked();
  await expect.poll(() => setting((t) => t.confirmClose)).toBe(true);
  await page.getByTestId('view-terminals').click();

  // Ctrl+Shift+W on the live tab: the question, and Cancel leaves a working shell
  await focused(page).click();
  await page.keyboard.press('Control+Shift+W');
  await expect(confirm(page)).toBeVisible();
  await expect(confirm(page)).toContainText('Close the live session to close-box?');
  await page.screenshot({ path: 'test/output/e2e/close-confirm.png' });
  await confirm(page).getByTestId('cancel').click();
  await expect(confirm(page)).toHaveCount(0);
  await expect(tabs(page)).toHaveCount(1);
  await runInTerminal(page, focused(page), 'echo still-$((6*7))', /still-42/);

  // a split tab: its × counts both shells; Escape is Cancel
  await page.keyboard.press('Control+Shift+E');
  await expect(area(page).getByTestId('terminal')).toHaveCount(2);
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await tabs(page).first().getByTestId('tab-close').click();
  await expect(confirm(page)).toContainText('Close 2 live sessions to close-box?');
  await page.keyboard.press('Escape');
  await expect(confirm(page)).toHaveCount(0);
  await expect(area(page).getByTestId('terminal')).toHaveCount(2);

  // closing one pane of it asks for that one shell; Enter is Close
  await focused(page).click();
  await page.keyboard.press('Control+Shift+W');
  await expect(confirm(page)).toContainText('Close the live session to close-box?');
  await page.keyboard.press('Enter');
  await expect(confirm(page)).toHaveCount(0);
  await expect(area(page).getByTestId('terminal')).toHaveCount(1);

  // a shell that exited closes without a question
  await another(page, 2);
  await runInTerminal(page, focused(page), 'exit', /logout|session ended|exit/i);
  await expect(tabs(page).nth(1)).toHaveAttribute('data-state', 'exited');
  await tabs(page).nth(1).getByTestId('tab-close').click();
  await expect(tabs(page)).toHaveCount(1);
  await expect(confirm(page)).toHaveCount(0);

  // "Close others" counts the other tabs' shells only
  await another(page, 2);
  await another(page, 3);
  await tabs(page).nth(0).click({ button: 'right' });
  await page.getByTestId('context-menu').getByTestId('tab-menu-close-others').click();
  await expect(confirm(page)).toContainText('Close 2 live sessions to close-box?');
  await confirm(page).getByTestId('confirm-ok').click();
  await expect(tabs(page)).toHaveCount(1);

  // leaving the page with a live shell: the browser's own question
  const asked = new Promise<string>((resolve) =>
    page.once('dialog', (d) => {
      resolve(d.type());
      void d.dismiss(); // stay
    }),
  );
  await focused(page).click();
  void page.evaluate('location.reload()');
  expect(await asked).toBe('beforeunload');

  // a middle click on the tab asks too
  await tabs(page).first().click({ button: 'middle' });
  await expect(confirm(page)).toContainText('Close the live session to close-box?');
  await confirm(page).getByTestId('cancel').click();
  await expect(tabs(page)).toHaveCount(1);

  // "Don't ask again": the tab closes, and the setting is off (Settings shows it)
  await focused(page).click();
  await page.keyboard.press('Control+Shift+W');
  await confirm(page).getByTestId('confirm-dont-ask').check();
  await confirm(page).getByTestId('confirm-ok').click();
  await expect(tabs(page)).toHaveCount(0);
  await expect.poll(() => setting((t) => t.confirmClose)).toBe(false);
  await page.getByTestId('view-settings').click();
  await expect(ask).not.toBeChecked();
});

test('right-click pastes, copies the selection or opens the menu, as set; Shift+right-click is always the menu', async ({ page }) => {
  await connected(page, 'close-click');
  const term = focused(page);
  await page.getByTestId('view-settings').click();
  const rightClick = settings(page).locator('[name=rightClick]');
  await expect(rightClick).toHaveValue('menu');
  await rightClick.selectOption('paste');
  await expect.poll(() => setting((t) => t.rightClick)).toBe('paste');
  await page.screenshot({ path: 'test/output/e2e/settings-terminal.png' });
  await page.getByTestId('view-terminals').click();

  // paste: the clipboard's text goes to the shell, which runs it
  await page.evaluate("navigator.clipboard.writeText('echo pasted-$((40+2))')");
  await term.click({ button: 'right', position: { x: 80, y: 40 } });
  await expect(page.getByTestId('context-menu')).toHaveCount(0);
  await expect.poll(() => screenText(term)).toContain('echo pasted-$((40+2))');
  await page.keyboard.press('Enter');
  await expect.poll(() => screenText(term)).toMatch(/^pasted-42/m);

  // Shift+right-click: the menu all the same
  await term.click({ button: 'right', position: { x: 80, y: 40 }, modifiers: ['Shift'] });
  await expect(page.getByTestId('context-menu')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('context-menu')).toHaveCount(0);

  // copy-or-paste: with a selection it copies (and pastes nothing), without one it pastes
  await page.getByTestId('view-settings').click();
  await rightClick.selectOption('copyPaste');
  await expect.poll(() => setting((t) => t.rightClick)).toBe('copyPaste');
  await page.getByTestId('view-terminals').click();
  const copies = async () => (await screenText(term)).match(/copyme-7/g)?.length ?? 0;
  await runInTerminal(page, term, 'clear; printf "copyme%s\\n" -7', /copyme-7/);
  const line = (await term.locator('.xterm-rows > div', { hasText: 'copyme-7' }).boundingBox())!;
  await page.mouse.dblclick(line.x + 20, line.y + line.height / 2);
  await term.click({ button: 'right', position: { x: 200, y: 200 } });
  await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe('copyme-7');
  expect(await copies()).toBe(1);
  await term.click({ button: 'right', position: { x: 200, y: 200 } });
  await expect.poll(copies, { message: 'the copy pasted at the prompt' }).toBe(2);
  await page.keyboard.press('Control+U');

  // back to the menu
  await page.getByTestId('view-settings').click();
  await rightClick.selectOption('menu');
  await page.getByTestId('view-terminals').click();
  await term.click({ button: 'right', position: { x: 80, y: 40 } });
  await expect(page.getByTestId('context-menu')).toBeVisible();
  await page.keyboard.press('Escape');
});

test('rebind "Split the pane right": the new chord splits, the old one no longer does, a refused chord says why, Reset brings it back', async ({ page }) => {
  await connected(page, 'close-keys');
  await page.getByTestId('view-settings').click();
  const row = keysRow(page, 'tabs.splitRight');
  await expect(row).toHaveAttribute('data-keys', 'Ctrl+Shift+E');

  // refused: the shell's Ctrl+R, and a chord another command has
  await row.getByTestId('keys-chord').click();
  await page.keyboard.press('Control+r');
  await expect(settings(page).getByTestId('keys-problem')).toContainText("Ctrl+R is the shell's");
  await row.getByTestId('keys-chord').click();
  await page.keyboard.press('Control+Shift+T');
  await expect(settings(page).getByTestId('keys-problem')).toContainText('Ctrl+Shift+T is already "Duplicate the tab');
  await page.screenshot({ path: 'test/output/e2e/settings-keys-refused.png' });
  await expect(row).toHaveAttribute('data-keys', 'Ctrl+Shift+E');

  // Ctrl+Shift+Y it is, saved in the settings
  await row.getByTestId('keys-chord').click();
  await expect(row.getByTestId('keys-chord')).toHaveText('Press the new keys…');
  await page.keyboard.press('Control+Shift+Y');
  await expect(row).toHaveAttribute('data-keys', 'Ctrl+Shift+Y');
  await expect(settings(page).getByTestId('keys-problem')).toHaveCount(0);
  await expect.poll(() => setting((t) => t.keys)).toEqual({ 'tabs.splitRight': 'Ctrl+Shift+KeyY' });
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test/output/e2e/settings-keys.png' });

  // in the terminal, with no reload: Ctrl+Shift+Y splits, Ctrl+Shift+E does not, and the menu names the new keys
  await page.getByTestId('view-terminals').click();
  const panes = area(page).getByTestId('terminal');
  await focused(page).click();
  await page.keyboard.press('Control+Shift+Y');
  await expect(panes).toHaveCount(2);
  await expect(focused(page)).toHaveAttribute('data-session-id', /.+/);
  await page.keyboard.press('Control+Shift+E');
  await runInTerminal(page, focused(page), 'echo after-$((3*4))', /after-12/);
  await expect(panes).toHaveCount(2);
  await focused(page).click({ button: 'right', position: { x: 40, y: 40 } });
  await expect(page.getByTestId('context-menu').getByTestId('pane-menu-split-right')).toContainText('Ctrl+Shift+Y');
  await page.keyboard.press('Escape');

  // Reset: Ctrl+Shift+E again
  await page.getByTestId('view-settings').click();
  await row.getByTestId('keys-reset').click();
  await expect(row).toHaveAttribute('data-keys', 'Ctrl+Shift+E');
  await expect.poll(() => setting((t) => t.keys)).toEqual({});
  await page.getByTestId('view-terminals').click();
  await focused(page).click();
  await page.keyboard.press('Control+Shift+E');
  await expect(panes).toHaveCount(3);

  // Reset all, after two rebindings
  await page.getByTestId('view-settings').click();
  await row.getByTestId('keys-chord').click();
  await page.keyboard.press('Control+Shift+Y');
  const search = keysRow(page, 'terminal.search');
  await search.getByTestId('keys-chord').click();
  await page.keyboard.press('F3');
  await expect(search).toHaveAttribute('data-keys', 'F3');
  await expect.poll(() => setting((t) => Object.keys(t.keys).sort())).toEqual(['tabs.splitRight', 'terminal.search']);
  await settings(page).getByTestId('keys-reset-all').click();
  await expect(row).toHaveAttribute('data-keys', 'Ctrl+Shift+E');
  await expect(search).toHaveAttribute('data-keys', 'Ctrl+Shift+F');
  await expect.poll(() => setting((t) => t.keys)).toEqual({});
});
