// Per-host terminal settings and the Remote command, set in the group and host dialogs: a group's font size
// and theme in its hosts' panes (their cells' size and background, measured), live when the group or the app
// setting changes; a host's TERM and Remote command in its shell on the real sshd. Real sshd, real Chromium.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeKey, startSshd, tempDir, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, createHost, rowAction, runInTerminal, screenText } from './app.js';

let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  const { client, close } = await contract();
  try {
    const tree = await client.call('tree.get', {});
    const hostIds = tree.hosts.filter((h) => h.name.startsWith('hterm-')).map((h) => h.id);
    const groupIds = tree.groups.filter((g) => g.name.startsWith('hterm-') || g.name.includes('warren-e2e-hterm-')).map((g) => g.id);
    if (hostIds.length + groupIds.length > 0) await client.call('items.delete', { hostIds, groupIds });
  } finally {
    close();
  }
  await sshd.stop();
});

type Box = { rowHeight: number; fontSize: string; background: string; paneBackground: string };
/** what the pane draws: the height of a row of cells, the rows' font size, the terminal's and the pane's background */
const measure = (pane: Locator): Promise<Box> =>
  pane.evaluate((el) => {
    const w = globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string; backgroundColor: string } };
    const e = el as unknown as { querySelector(s: string): { getBoundingClientRect(): { height: number } } & object };
    const rows = e.querySelector('.xterm-rows');
    return {
      rowHeight: e.querySelector('.xterm-rows > div').getBoundingClientRect().height,
      fontSize: w.getComputedStyle(rows).fontSize,
      background: w.getComputedStyle(e.querySelector('.xterm-viewport')).backgroundColor,
      paneBackground: w.getComputedStyle(el).backgroundColor,
    };
  });
const activePane = (page: Page) => page.locator('[data-testid=terminal][data-active=true]');
const hostRow = (page: Page, name: string) => page.locator(`[data-testid=host-row]:not([data-section])[data-name="${name}"]`);

async function newHostInGroup(page: Page, name: string, group: string) {
  await page.getByTestId('new-host').click();
  const he = page.getByTestId('host-editor');
  await he.locator('[name=name]').fill(name);
  await he.locator('[name=hostname]').fill('127.0.0.1');
  await he.locator('[name=port]').fill(String(sshd.port));
  await he.locator('[name=user]').fill(TEST_USER);
  await he.locator('[name=auth]').selectOption('password');
  await he.locator('[name=password]').fill(TEST_PASSWORD);
  await he.locator('[name=groupId]').selectOption({ label: group });
  return he;
}

test('a group’s font size and theme show in its hosts’ panes, live, and another host keeps the app’s', async ({ page }) => {
  const { client, close } = await contract();
  const appFontSize = (await client.call('settings.get', {})).terminal.fontSize;
  try {
    await answerVault(page);
    await acceptHostKeys(page);
    await page.goto(appUrl());

    // the group dialog's Terminal section: every field inherits from the Settings view until set
    await page.getByTestId('new-group').click();
    const ge = page.getByTestId('group-editor');
    await ge.locator('[name=name]').fill('hterm-prod');
    await expect(ge.getByTestId('terminal-section')).toBeVisible();
    await expect(ge.locator('[name="terminal.fontSize"]')).toHaveAttribute('placeholder', `${appFontSize} (Settings)`);
    await ge.locator('[name="terminal.fontSize"]').fill('20');
    await ge.locator('[name="terminal.theme"]').selectOption('high-contrast');
    await ge.locator('[name="terminal.locale"]').scrollIntoViewIfNeeded();
    await ge.screenshot({ path: 'test/output/e2e/host-terminal-group-editor.png' });
    await ge.getByTestId('save').click();
    await expect(ge).toHaveCount(0);

    // the host dialog says what its hosts inherit, and from where
    const he = await newHostInGroup(page, 'hterm-big', 'hterm-prod');
    await expect(he.locator('[name="terminal.fontSize"]')).toHaveAttribute('placeholder', '20 (group hterm-prod)');
    await expect(he.locator('[name="terminal.theme"] option').first()).toHaveText('Inherit: High contrast (group hterm-prod)');
    await expect(he.locator('[name="terminal.cursorStyle"] option').first()).toHaveText(/^Inherit: .+ \(Settings\)$/);
    await he.locator('[name="terminal.locale"]').scrollIntoViewIfNeeded();
    await he.screenshot({ path: 'test/output/e2e/host-terminal-editor.png' });
    await he.getByTestId('save').click();
    await expect(he).toHaveCount(0);
    await createHost(page, { name: 'hterm-plain', port: sshd.port });

    await rowAction(hostRow(page, 'hterm-big'), 'row-connect');
    const big = activePane(page);
    await expect(big).toHaveAttribute('data-session-id', /.+/);
    await runInTerminal(page, big, 'echo big-$((1+1))', /^big-2$/m);
    const bigBox = await measure(big);
    const bigCols = Number(await big.getAttribute('data-cols'));
    await page.screenshot({ path: 'test/output/e2e/host-terminal-big.png' });

    await rowAction(hostRow(page, 'hterm-plain'), 'row-connect');
    const plain = page.locator('[data-testid=terminal][data-active=true]');
    await expect(page.getByTestId('tab')).toHaveCount(2);
    await expect(plain).toHaveAttribute('data-session-id', /.+/);
    await runInTerminal(page, plain, 'echo plain-$((2+2))', /^plain-4$/m);
    const plainBox = await measure(plain);
    const plainCols = Number(await plain.getAttribute('data-cols'));
    await page.screenshot({ path: 'test/output/e2e/host-terminal-plain.png' });

    expect(bigBox.fontSize).toBe('20px');
    expect(plainBox.fontSize).toBe(`${appFontSize}px`);
    expect(bigBox.rowHeight).toBeGreaterThan(plainBox.rowHeight * 1.2);
    // the same window, bigger cells: fewer of them across
    expect(bigCols).toBeLessThan(plainCols);
    // high contrast is black, in the cells and round them; the other pane has the app's theme
    expect([bigBox.background, bigBox.paneBackground]).toEqual(['rgb(0, 0, 0)', 'rgb(0, 0, 0)']);
    expect(plainBox.background).not.toBe('rgb(0, 0, 0)');

    // live: the app's font size reaches the plain pane, not the one whose group sets its own
    await client.call('settings.set', { terminal: { fontSize: appFontSize + 2 } });
    await expect.poll(async () => (await measure(plain)).fontSize).toBe(`${appFontSize + 2}px`);
    await page.getByTestId('tab').first().click();
    const bigAgain = activePane(page);
    await expect.poll(async () => (await measure(bigAgain)).fontSize).toBe('20px');
    // and the group's change reaches its host's open pane, in the same session
    const session = await bigAgain.getAttribute('data-session-id');
    const group = (await client.call('tree.get', {})).groups.find((g) => g.name === 'hterm-prod')!;
    await client.call('groups.update', { id: group.id, terminal: { fontSize: 24 } });
    await expect.poll(async () => (await measure(bigAgain)).fontSize).toBe('24px');
    // the theme it no longer sets is the app's again
    expect((await measure(bigAgain)).background).toBe(plainBox.background);
    await expect(bigAgain).toHaveAttribute('data-session-id', session!);
    for (let i = 0; i < 2; i++) await page.getByTestId('tab-close').first().click();
  } finally {
    await client.call('settings.set', { terminal: { fontSize: appFontSize } });
    close();
  }
});

test('the host dialog’s Remote command runs instead of the login shell (the pane says so), with the TERM it sets', async ({ page }) => {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await page.getByTestId('new-group').click();
  const ge = page.getByTestId('group-editor');
  await ge.locator('[name=name]').fill('hterm-cmd');
  await ge.getByTestId('save').click();
  await expect(ge).toHaveCount(0);

  const he = await newHostInGroup(page, 'hterm-tmuxish', 'hterm-cmd');
  await expect(he.locator('[name=remoteCommand]')).toHaveAttribute('placeholder', 'e.g. tmux new -A -s main');
  // too long: refused, by field
  await he.locator('[name=remoteCommand]').fill('x'.repeat(4097));
  await he.getByTestId('save').click();
  await expect(he.getByTestId('form-error')).toContainText('remoteCommand: a remote command is at most 4096 characters');
  await he.locator('[name=remoteCommand]').fill('echo remote-$((6*7)); exec sh');
  await he.locator('[name="terminal.termType"]').fill('vt100');
  await he.getByTestId('save').click();
  await expect(he).toHaveCount(0);

  await rowAction(hostRow(page, 'hterm-tmuxish'), 'row-connect');
  const pane = activePane(page);
  await expect(pane).toHaveAttribute('data-session-id', /.+/);
  const note = pane.getByTestId('term-runs');
  await expect(note).toHaveText('Runs echo remote-$((6*7)); exec sh instead of the login shell (the host’s Remote command).');
  await expect.poll(() => screenText(pane)).toMatch(/^remote-42\n\$/m);
  await page.screenshot({ path: 'test/output/e2e/host-terminal-remote-command.png' });
  await note.getByTestId('term-runs-close').click();
  await expect(note).toHaveCount(0);
  // then a shell on a terminal, told TERM=vt100
  await runInTerminal(page, pane, 'echo "T=$TERM"; tty', /^T=vt100\n\/dev\/pts\/\d+$/m);

  // a split of the tab runs it too
  const firstPane = await pane.getAttribute('data-pane-id');
  await pane.click({ button: 'right', position: { x: 60, y: 60 } });
  await page.getByTestId('context-menu').getByTestId('pane-menu-split-right').click();
  await expect(page.getByTestId('terminal')).toHaveCount(2);
  const second = page.locator('[data-testid=terminal][data-active=true]');
  await expect(second).not.toHaveAttribute('data-pane-id', firstPane!);
  await expect.poll(() => screenText(second)).toMatch(/^remote-42$/m);
  await page.getByTestId('tab-close').first().click();
});

test('a linked host whose ssh_config says RequestTTY no: its pane says it has no terminal, with the line, and its lines still start at the left', async ({
  page,
}) => {
  const dir = await tempDir('warren-e2e-hterm-');
  const key = await makeKey(dir, { type: 'ed25519' });
  await sshd.authorize(key.pub);
  const file = join(dir, 'config');
  await writeFile(file, `Host hterm-notty\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${TEST_USER}\n  IdentityFile ${key.path}\n  RequestTTY no\n`);
  const { client, close } = await contract();
  try {
    await client.call('sshconfig.import', { file, linked: true });
  } finally {
    close();
  }
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await rowAction(hostRow(page, 'hterm-notty'), 'row-connect');
  const pane = activePane(page);
  await expect(pane).toHaveAttribute('data-session-id', /.+/);
  await expect(pane.getByTestId('term-runs')).toHaveText(
    `No terminal (RequestTTY no in ${file}:6): programs see no tty; what you type is echoed and sent a line at a time, as ssh -T does.`,
  );
  await pane.click();
  await page.keyboard.type('ttx');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('y; echo "n=$((5*5))"');
  await page.keyboard.press('Enter');
  // echoed here, a line at a time (the server echoes nothing), then its output, each line at the left edge: without
  // a terminal the server sends bare newlines, which the pane turns into new lines
  await expect.poll(() => screenText(pane)).toMatch(/^tty; echo "n=\$\(\(5\*5\)\)"\nnot a tty\nn=25$/m);
  await page.screenshot({ path: 'test/output/e2e/host-terminal-no-tty.png' });
  await page.getByTestId('tab-close').first().click();
});
