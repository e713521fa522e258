// The Settings view as a user meets it: a bigger font from the form and from Ctrl+= leaves fewer cells in an
// open terminal, and the light theme turns the terminal and the app light, then outlasts a reload. Real sshd,
// real Chromium; the settings live in the server's settings file, so the spec puts them back afterwards.
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_TERMINAL_SETTINGS } from '../../shared/settings.js';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, createHost, E2E_TERMINAL_SETTINGS, rowAction } from './app.js';

// its own sshd: the shared one's first host-key question belongs to terminal.spec
let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  const { client, close } = await contract();
  try {
    // every later spec expects the default look
    await client.call('settings.set', { terminal: E2E_TERMINAL_SETTINGS });
    const host = (await client.call('tree.get', {})).hosts.find((h) => h.name === NAME);
    if (host) await client.call('items.delete', { hostIds: [host.id], groupIds: [] });
  } finally {
    close();
  }
  await sshd.stop();
});

const NAME = 'settings-box';
const term = (page: Page) => page.locator('[data-testid=terminal][data-active=true]');
const cols = async (page: Page) => Number(await term(page).getAttribute('data-cols'));
const viewport = (page: Page) => term(page).locator('.xterm-viewport');
const DARK = 'rgb(15, 17, 21)';
const LIGHT = 'rgb(251, 251, 252)';

async function connect(page: Page): Promise<void> {
  await rowAction(page.locator(`[data-testid=host-row]:not([data-section])[data-name="${NAME}"]`), 'row-connect');
  await expect(term(page)).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
}

test('font size from the form and from Ctrl+=, and the light theme, apply to the open terminal and persist', async ({ page }) => {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await createHost(page, { name: NAME, port: sshd.port });
  await connect(page);
  await expect(term(page)).toHaveAttribute('data-cols', /^\d+$/);
  const start = await cols(page);
  await expect(viewport(page)).toHaveCSS('background-color', DARK);

  // a bigger font in Settings: the terminal that is open gets fewer columns
  await page.getByTestId('view-settings').click();
  const view = page.getByTestId('settings-view');
  await expect(view.locator('[name=fontSize]')).toHaveValue(String(DEFAULT_TERMINAL_SETTINGS.fontSize));
  await view.locator('[name=fontSize]').fill('20');
  await page.getByTestId('view-terminals').click();
  await expect.poll(() => cols(page), { message: 'fewer columns after font size 20' }).toBeLessThan(start);
  const at20 = await cols(page);
  // roughly in proportion: 14 px → 20 px leaves about 14/20 of the columns
  expect(at20).toBeLessThan(start * 0.8);

  // Ctrl+= in the terminal: one more point, fewer columns again, saved in the main process
  await term(page).click();
  await page.keyboard.press('Control+Equal');
  await page.keyboard.press('Control+Equal');
  await expect.poll(() => cols(page), { message: 'fewer columns after Ctrl+= twice' }).toBeLessThan(at20);
  const { client, close } = await contract();
  try {
    await expect.poll(async () => (await client.call('settings.get', {})).terminal.fontSize).toBe(22);
    // Ctrl+- comes back down one point, and the key is not typed into the shell
    await page.keyboard.press('Control+Minus');
    await expect.poll(async () => (await client.call('settings.get', {})).terminal.fontSize).toBe(21);
  } finally {
    close();
  }

  // the light theme: the terminal's background and the app's chrome
  await page.getByTestId('view-settings').click();
  await expect(view.locator('[name=fontSize]')).toHaveValue('21');
  await view.locator('[name=theme]').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(244, 245, 247)');
  await page.getByTestId('view-terminals').click();
  await expect(viewport(page)).toHaveCSS('background-color', LIGHT);
  await term(page).click();
  await page.keyboard.type('printf "light theme, font 21\\n"\n');
  await expect(term(page).locator('.xterm-rows')).toContainText('light theme, font 21');
  await page.screenshot({ path: 'test/output/e2e/settings-light.png' });

  // a reload keeps all of it: the chrome, the form, and a terminal opened afresh
  await page.reload();
  await expect(page.getByTestId('tree')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await connect(page);
  await expect(viewport(page)).toHaveCSS('background-color', LIGHT);
  await expect.poll(() => cols(page), { message: 'the 21 px font after the reload' }).toBeLessThan(at20);
  await page.getByTestId('view-settings').click();
  await expect(view.locator('[name=theme]')).toHaveValue('light');
  await expect(view.locator('[name=fontSize]')).toHaveValue('21');
  await page.screenshot({ path: 'test/output/e2e/settings-view.png' });

  // back to dark: the terminal follows
  await view.locator('[name=theme]').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('view-terminals').click();
  await expect(viewport(page)).toHaveCSS('background-color', DARK);
});

test('custom colours: over a base theme, applied to the open terminal as they change, marked, kept across a reload, and undone', async ({ page }) => {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  const { client, close } = await contract();
  try {
    if (!(await client.call('tree.get', {})).hosts.some((h) => h.name === NAME)) await createHost(page, { name: NAME, port: sshd.port });
  } finally {
    close();
  }
  await connect(page);
  await expect(viewport(page)).toHaveCSS('background-color', DARK);
  await page.getByTestId('view-settings').click();
  const view = page.getByTestId('settings-view');
  await expect(view.getByTestId('custom-colors')).toHaveCount(0);
  await view.locator('[name=theme]').selectOption('custom');
  const editor = view.getByTestId('custom-colors');
  // it starts as its base: the dark theme's colours, none changed
  await expect(editor.locator('[name=color-background]')).toHaveValue('#0f1115');
  await expect(editor.locator('[data-changed=true]')).toHaveCount(0);
  await editor.locator('[name=color-background]').fill('#203040');
  await editor.locator('[name=color-foreground]').fill('#ffcc00');
  await expect(editor.locator('[data-changed=true]')).toHaveCount(2);
  await page.screenshot({ path: 'test/output/e2e/settings-custom-colours.png', fullPage: true });
  await page.getByTestId('view-terminals').click();
  await expect(viewport(page)).toHaveCSS('background-color', 'rgb(32, 48, 64)');
  await term(page).click();
  await page.keyboard.type('printf "custom colours\\n"\n');
  await expect(term(page).locator('.xterm-rows')).toContainText('custom colours');
  // the text is drawn in the colour chosen (the DOM renderer's rows carry it)
  await expect(term(page).locator('.xterm-rows')).toHaveCSS('color', 'rgb(255, 204, 0)');
  // a light base makes the app's chrome light too
  await page.getByTestId('view-settings').click();
  await editor.locator('[name=customBase]').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(editor.locator('[name=color-background]')).toHaveValue('#203040');
  await page.reload();
  await page.getByTestId('view-settings').click();
  await expect(view.locator('[name=theme]')).toHaveValue('custom');
  await expect(editor.locator('[name=color-foreground]')).toHaveValue('#ffcc00');
  // back to the base's colours, then to the dark theme
  await editor.getByTestId('custom-colors-reset').click();
  await expect(editor.locator('[data-changed=true]')).toHaveCount(0);
  await expect(editor.locator('[name=color-background]')).toHaveValue('#fbfbfc');
  await view.locator('[name=theme]').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('the bell flashes the terminal or stays quiet as set, and a new shell gets the TERM set in Settings', async ({ page }) => {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  const { client, close } = await contract();
  try {
    if (!(await client.call('tree.get', {})).hosts.some((h) => h.name === NAME)) await createHost(page, { name: NAME, port: sshd.port });
  } finally {
    close();
  }
  await page.getByTestId('view-settings').click();
  const view = page.getByTestId('settings-view');
  await expect(view.locator('[name=bell]')).toHaveValue('visual');
  await view.locator('[name=termType]').fill('vt220');
  await view.locator('[name=termType]').press('Enter');
  // not a terminfo name: marked, not saved
  await view.locator('[name=locale]').fill('C UTF-8');
  await expect(view.locator('[name=locale]')).toHaveAttribute('aria-invalid', 'true');
  await view.locator('[name=locale]').fill('local');
  await view.locator('[name=locale]').press('Enter');
  await page.screenshot({ path: 'test/output/e2e/settings-shells.png', fullPage: true });
  await page.getByTestId('view-terminals').click();
  await connect(page);
  const host = term(page).locator('.term-host');
  await term(page).click();
  await page.keyboard.type(`echo "T=$TERM"; printf '\\a'\n`);
  await expect(term(page).locator('.xterm-rows')).toContainText('T=vt220');
  await expect(host).toHaveAttribute('data-bells', '1');

  await page.getByTestId('view-settings').click();
  await view.locator('[name=bell]').selectOption('none');
  await page.getByTestId('view-terminals').click();
  await term(page).click();
  await page.keyboard.type(`printf '\\a'; echo quiet-bell-done\n`);
  await expect(term(page).locator('.xterm-rows')).toContainText('quiet-bell-done');
  await expect(host).toHaveAttribute('data-bells', '1');
});
