// A server reinstalled with new host keys, as a user meets it: the connection is refused ("REMOTE HOST
// IDENTIFICATION HAS CHANGED"), "Replace the host key…" shows the old fingerprint (with the known_hosts
// line) beside the new one fetched from the server, Replace stays disabled until the user says they
// checked it, and then the terminal opens with no host-key question; and the same from a tunnel's row.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, createHost, rowAction } from './app.js';

// its own sshd: its keys change here, and the shared sshd's first host-key question belongs to terminal.spec
let sshd: Sshd;
const knownHosts = join(process.env.WARREN_E2E_DATA_DIR!, 'known_hosts');
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  execFileSync('ssh-keygen', ['-R', `[127.0.0.1]:${sshd.port}`, '-f', knownHosts], { stdio: 'ignore' });
  await sshd.stop();
});

const ed25519 = () => sshd.hostKeys.find((k) => k.type === 'ssh-ed25519')!;

/**
 * A saved host met once in a terminal (its key trusted, if an earlier test did not already; a shell, unlike an
 * SFTP session, does not outlive its tab), then the server reinstalled with new keys. Returns the host's row.
 */
async function meetThenReinstall(page: Page, name: string): Promise<Locator> {
  await answerVault(page);
  await page.goto(appUrl());
  await createHost(page, { name, port: sshd.port });
  const row = page.locator(`[data-testid=host-row]:not([data-section])[data-name="${name}"]`);
  await acceptHostKeys(page);
  await rowAction(row, 'row-connect');
  await expect(page.locator('[data-testid=terminal][data-active=true]')).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
  await page.locator('[data-testid=tab][data-active=true]').getByTestId('tab-close').click();
  await page.removeLocatorHandler(page.locator('[data-testid=prompt][data-kind=hostkey]'));
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-connections', '0');
  await sshd.restart({ newHostKeys: true });
  return row;
}

test('changed key: refused, both fingerprints side by side, Replace only once confirmed, then the terminal opens', async ({ page }) => {
  await answerVault(page);
  await page.goto(appUrl());
  await createHost(page, { name: 'hk-box', port: sshd.port });
  const row = page.locator('[data-testid=host-row]:not([data-section])[data-name="hk-box"]');
  const term = page.locator('[data-testid=terminal][data-active=true]');

  // first contact: the key is trusted, then the server is reinstalled
  await rowAction(row, 'row-connect');
  await page.locator('[data-testid=prompt][data-kind=hostkey]').getByTestId('prompt-accept').click();
  await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
  await page.locator('[data-testid=tab][data-active=true]').getByTestId('tab-close').click();
  const oldKey = ed25519();
  await sshd.restart({ newHostKeys: true });
  const newKey = ed25519();

  await rowAction(row, 'row-connect');
  const card = term.getByTestId('connect-error');
  await expect(card).toHaveAttribute('data-code', 'HOST_KEY_CHANGED');
  await expect(card).toContainText('REMOTE HOST IDENTIFICATION HAS CHANGED');
  await card.getByTestId('replace-hostkey-open').click();

  const dialog = page.getByTestId('replace-hostkey');
  await expect(dialog.getByTestId('old-key')).toContainText(oldKey.fingerprint);
  await expect(dialog.getByTestId('old-key')).toContainText(new RegExp(`${knownHosts.replace(/[.]/g, '\\.')}:\\d+`));
  await expect(dialog.getByTestId('new-key')).toContainText(newKey.fingerprint);
  await expect(dialog.getByTestId('new-key')).toContainText('ssh-ed25519, fetched just now directly');
  const replace = dialog.getByTestId('replace');
  await expect(replace).toBeDisabled();
  for (const width of [1024, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: `test/output/e2e/hostkey-replace-${width}.png` });
  }
  // Enter does not replace before the box is ticked either
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('verified').check();
  await expect(replace).toBeEnabled();
  await replace.click();

  await expect(dialog).toHaveCount(0);
  await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
  await expect(card).toHaveCount(0);
  await expect(page.locator('[data-testid=prompt][data-kind=hostkey]')).toHaveCount(0);
  const found = execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${sshd.port}`, '-f', knownHosts], { encoding: 'utf8' });
  expect(found).toContain(newKey.pub.split(' ')[1]);
  expect(found).not.toContain(oldKey.pub.split(' ')[1]);
});

test('a tunnel refused for a changed key offers the same replacement, and comes up once it is done', async ({ page }) => {
  await meetThenReinstall(page, 'hk-tunnel-box');
  const newKey = ed25519();

  const { client, close } = await contract();
  try {
    const hostId = (await client.call('tree.get', {})).hosts.find((h) => h.name === 'hk-tunnel-box')!.id;
    const { port } = await client.call('tunnels.freePort', { bindAddress: '127.0.0.1' });
    await client.call('tunnels.create', { name: 'hk-socks', hostId, kind: 'dynamic', bindPort: port });
    await page.getByTestId('view-tunnels').click();
    const tunnel = page.locator('[data-testid=tunnel-row][data-name="hk-socks"]');
    await tunnel.getByTestId('tunnel-switch').click();
    await expect(tunnel.getByTestId('tunnel-error')).toHaveAttribute('data-code', 'HOST_KEY_CHANGED', { timeout: 20_000 });
    await tunnel.getByTestId('tunnel-replace-hostkey').click();

    const dialog = page.getByTestId('replace-hostkey');
    await expect(dialog.getByTestId('new-key')).toContainText(newKey.fingerprint);
    await expect(dialog.getByTestId('replace')).toBeDisabled();
    await dialog.getByTestId('verified').check();
    await dialog.getByTestId('replace').click();
    await expect(dialog).toHaveCount(0);
    await expect(tunnel.getByTestId('tunnel-state')).toHaveText('up', { timeout: 20_000 });
    await expect(tunnel.getByTestId('tunnel-error')).toHaveCount(0);
    await expect(page.locator('[data-testid=prompt][data-kind=hostkey]')).toHaveCount(0);
    await tunnel.getByTestId('tunnel-switch').click();
    await client.call('items.delete', { hostIds: [hostId], groupIds: [] });
  } finally {
    close();
  }
});

test('a file pane refused for a changed key offers the same replacement, and lists the folder once it is done', async ({ page }) => {
  const row = await meetThenReinstall(page, 'hk-files-box');
  const remote = page.locator('[data-testid=sftp][data-host=hk-files-box] [data-testid=pane-remote]');

  await rowAction(row, 'row-sftp');
  await expect(remote.getByTestId('pane-error')).toHaveAttribute('data-code', 'HOST_KEY_CHANGED', { timeout: 20_000 });
  await remote.getByTestId('pane-replace-hostkey').click();
  const dialog = page.getByTestId('replace-hostkey');
  await expect(dialog.getByTestId('new-key')).toContainText(ed25519().fingerprint);
  await dialog.getByTestId('verified').check();
  await dialog.getByTestId('replace').click();
  await expect(dialog).toHaveCount(0);
  await expect(remote).toHaveAttribute('data-path', /^\//, { timeout: 20_000 });
  await expect(remote.getByTestId('pane-error')).toHaveCount(0);
  await expect(page.locator('[data-testid=prompt][data-kind=hostkey]')).toHaveCount(0);
});
