// The command palette as a user meets it: Ctrl+Shift+P from anywhere (a terminal included), Ctrl+K outside
// a terminal only (inside, Ctrl+K is the shell's), fuzzy over hosts, tunnels, views and settings, recent
// first, and each command does what it says. Real sshd, real Chromium.
import { expect, test } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, createHost } from './app.js';

let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  const { client, close } = await contract();
  try {
    const tree = await client.call('tree.get', {});
    for (const t of tree.tunnels.filter((x) => x.name === TUNNEL)) {
      await client.call('tunnels.stop', { id: t.id });
      await client.call('tunnels.delete', { id: t.id });
    }
    const host = tree.hosts.find((h) => h.name === NAME);
    if (host) await client.call('items.delete', { hostIds: [host.id], groupIds: [] });
  } finally {
    close();
  }
  await sshd.stop();
});

const NAME = 'palette-box';
const TUNNEL = 'palette-ssh';

test('Ctrl+Shift+P connects, switches a tunnel, goes to a view; recent first; Ctrl+K stays the shell’s in a terminal', async ({ page }) => {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await createHost(page, { name: NAME, port: sshd.port });
  const { client, close } = await contract();
  let hostId: string;
  let tunnelId: string;
  try {
    hostId = (await client.call('tree.get', {})).hosts.find((h) => h.name === NAME)!.id;
    const { port } = await client.call('tunnels.freePort', { bindAddress: '127.0.0.1' });
    tunnelId = (await client.call('tunnels.create', { name: TUNNEL, hostId, kind: 'local', bindPort: port, destHost: '127.0.0.1', destPort: sshd.port })).id;
  } finally {
    close();
  }
  const palette = page.getByTestId('palette');
  const input = page.getByTestId('palette-input');
  const items = page.getByTestId('palette-item');

  // fuzzy: the letters in order
  await page.keyboard.press('Control+Shift+P');
  await expect(palette).toBeVisible();
  await input.fill('con plbox');
  await expect(items.first()).toHaveAttribute('data-id', `connect:${hostId}`);
  await page.screenshot({ path: 'test/output/e2e/palette.png' });
  await input.press('Enter');
  await expect(palette).toHaveCount(0);
  const term = page.locator('[data-testid=terminal][data-active=true]');
  await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });

  // in the terminal, Ctrl+K is the shell's: it kills the rest of the line, and no palette opens
  await term.click();
  await page.keyboard.type('echo kept; echo killed');
  for (let i = 0; i < 'echo killed'.length; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+K');
  await expect(palette).toHaveCount(0);
  await page.keyboard.press('Enter');
  // the line ran as `echo kept;` (its echo and its output), the rest gone
  await expect(term.locator('.xterm-rows')).toContainText(/echo kept; *kept/);
  await expect(term.locator('.xterm-rows')).not.toContainText('killed');

  // Ctrl+Shift+P works from the terminal too; with no query the last command run comes first
  await page.keyboard.press('Control+Shift+P');
  await expect(items.first()).toHaveAttribute('data-id', `connect:${hostId}`);
  await input.fill('start tunnel palette');
  await expect(items.first()).toHaveAttribute('data-id', `tunnel:${tunnelId}`);
  await input.press('Enter');
  const c2 = await contract();
  try {
    await expect
      .poll(async () => {
        const statuses: string[] = [];
        const stop = c2.client.subscribe('tunnels.watch', {}, { onEvent: (list) => statuses.push(list.find((s) => s.id === tunnelId)?.state ?? '') });
        await new Promise((r) => setTimeout(r, 300));
        stop();
        return statuses.at(-1);
      })
      .toBe('up');
  } finally {
    c2.close();
  }

  // the next time it offers to stop it; a view, with the arrow keys
  await page.keyboard.press('Control+Shift+P');
  await input.fill('tunnel palette');
  await expect(items.first()).toContainText('Stop tunnel palette-ssh');
  await input.fill('go to');
  await expect(items.filter({ hasText: 'Go to ' })).toHaveCount(5);
  const settingsRow = items.filter({ hasText: 'Go to Settings' });
  const index = Number((await settingsRow.getAttribute('id'))!.replace('palette-', ''));
  for (let i = 0; i < index; i++) await input.press('ArrowDown');
  await expect(settingsRow).toHaveAttribute('aria-selected', 'true');
  await input.press('Enter');
  await expect(page.getByTestId('settings-view')).toBeVisible();

  // Ctrl+K outside a terminal opens it; Esc closes it
  // on its heading: the view's middle holds settings, which a click would change on the shared server
  await page.getByTestId('settings-view').getByRole('heading', { name: 'Settings' }).click();
  await page.keyboard.press('Control+K');
  await expect(palette).toBeVisible();
  await input.press('Escape');
  await expect(palette).toHaveCount(0);
});
