// ssh_config import as a user lives it: a config with a two-hop ProxyJump chain is imported, the
// report says what was and was not applied, the hosts land in their group, and the target is reached
// through both jump hosts with one login each. Then a hop whose host key changed is named on the
// error card, with the failed attempt's log. Three sshd of its own; the Warren server is shared.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { makeKey, startSshd, tempDir, TEST_USER, type Sshd, type TestKey } from '../harness/ssh.js';
import { appUrl, contract, rowAction } from './app.js';

// the second test connects again through the hosts the first one imported and trusted
test.describe.configure({ mode: 'serial' });

let b1: Sshd;
let b2: Sshd;
let target: Sshd;
let config: string;
let key: TestKey;

test.beforeAll(async () => {
  [b1, b2, target] = await Promise.all([startSshd(), startSshd(), startSshd()]);
  const dir = await tempDir('warren-e2e-import-');
  key = await makeKey(dir, { type: 'ed25519' });
  await Promise.all([b1, b2, target].map((s) => s.authorize(key.pub)));
  const host = (alias: string, sshd: Sshd, jump?: string) => [
    `Host ${alias}`,
    '  HostName 127.0.0.1',
    `  Port ${sshd.port}`,
    `  User ${TEST_USER}`,
    `  IdentityFile ${key.path}`,
    ...(jump ? [`  ProxyJump ${jump}`] : []),
  ];
  config = join(dir, 'config');
  await writeFile(
    config,
    [
      ...host('b1', b1),
      ...host('b2', b2, 'b1'),
      ...host('app', target, 'b1,b2'),
      // not a host name Warren accepts: skipped, with why
      'Host café',
      'Host *',
      '  ForwardAgent yes',
      // Warren cannot evaluate Match exec: a config problem
      'Match exec "test -e /etc/hostname"',
      '  Compression yes',
      '',
    ].join('\n'),
  );
});
test.afterAll(async () => {
  await Promise.all([b1, b2, target].map((s) => s.stop()));
});

/** Imports `config` through the sidebar dialog and returns the report view (the dialog stays open). */
async function importConfig(page: Page): Promise<Locator> {
  await page.getByTestId('import-sshconfig').click();
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog.locator('[name=file]')).toHaveAttribute('placeholder', '~/.ssh/config');
  await dialog.locator('[name=file]').fill(config);
  await dialog.getByTestId('save').click();
  const report = dialog.getByTestId('import-report');
  await expect(report).toBeVisible();
  return report;
}

const hostRow = (page: Page, name: string) => page.locator(`[data-testid=host-row]:not([data-section])[data-name="${name}"]`);

test('import a config with a two-hop chain, then reach the target through it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(appUrl());

  const report = await importConfig(page);
  for (const name of ['b1', 'b2', 'app']) await expect(report.getByTestId('import-created')).toContainText(name);
  // Host * applies ForwardAgent to every host: listed under each, with why
  const forwardAgent = report.locator('[data-testid=not-applied][data-keyword=forwardagent]');
  await expect(forwardAgent).toHaveCount(3);
  await expect(forwardAgent.and(page.locator('[data-host=app]'))).toContainText('agent');
  await expect(report.getByTestId('import-skipped')).toContainText('café');
  await expect(report.getByTestId('config-problem')).toContainText(`${config}:`);
  await page.screenshot({ path: 'test/output/e2e/import-report.png' });
  await page.getByTestId('import-dialog').getByTestId('cancel').click();
  await expect(page.getByTestId('import-dialog')).toHaveCount(0);

  // the hosts sit in the import's group
  const group = page.locator(`[data-testid=group-row][data-name="Imported from ${config}"]`);
  await expect(group).toHaveAttribute('aria-level', '1');
  for (const name of ['b1', 'b2', 'app']) await expect(hostRow(page, name)).toHaveAttribute('aria-level', '2');

  // the editor shows the jump list and the chain it makes
  await rowAction(hostRow(page, 'app'), 'row-edit');
  const editor = page.getByTestId('host-editor');
  await expect(editor.locator('[name=jump]')).toHaveValue('b1,b2');
  await expect(editor.getByTestId('jump-chain')).toHaveText(/you\s*→\s*b1\s*→\s*b2\s*→\s*app/);
  await expect(editor.locator('[data-testid=chain-hop].chain-saved')).toHaveCount(2);
  await editor.getByTestId('cancel').click();

  // copy as ssh command spells the chain out for OpenSSH
  await rowAction(hostRow(page, 'app'), 'row-copy-command');
  await expect(page.getByTestId('toast').filter({ hasText: 'Copied' })).toBeVisible();
  const command = await page.evaluate<string>('navigator.clipboard.readText()');
  expect(command).toContain(`-J ${TEST_USER}@127.0.0.1:${b1.port},${TEST_USER}@127.0.0.1:${b2.port}`);
  expect(command).toContain(`-p ${target.port}`);

  // connect: one host-key question per hop and one for the target, each with that server's key
  await rowAction(hostRow(page, 'app'), 'row-connect');
  const hk = page.locator('[data-testid=prompt][data-kind=hostkey]');
  const term = page.locator('[data-testid=terminal][data-active=true]');
  const trusted = new Set<string>();
  await expect(async () => {
    if (await hk.isVisible()) {
      trusted.add((await hk.getByTestId('fingerprint').innerText()).trim());
      await hk.getByTestId('prompt-accept').click();
    }
    await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 500 });
  }).toPass({ timeout: 30_000 });
  for (const sshd of [b1, b2, target]) expect(sshd.hostKeys.some((k) => trusted.has(k.fingerprint))).toBe(true);
  expect(trusted.size).toBe(3);

  await term.click();
  await page.keyboard.type('echo hops-$((1+2))');
  await page.keyboard.press('Enter');
  await expect.poll(async () => /^hops-3$/m.test(await term.locator('.xterm-rows').innerText()), { message: 'hops-3 on screen' }).toBe(true);
  for (const sshd of [b1, b2, target]) expect(await sshd.acceptedLogins()).toBe(1);

  // the session log of the target's connection: through the chain, key exchange, login
  await term.getByTestId('term-log').click();
  const log = term.getByTestId('session-log');
  await expect(log).toContainText('through the previous jump host');
  await expect(log).toContainText('Key exchange');
  await expect(log).toContainText('Authenticated');
  await log.getByTestId('log-close').click();
  await expect(log).toHaveCount(0);
  // the chain, connected: one connection per hop and one to the target
  await page.getByTestId('status-connections').hover();
  await page.screenshot({ path: 'test/output/e2e/import-connected.png' });
  await page.getByTestId('tab-close').first().click();
});

test('importing again updates; a hop whose host key changed is named on the error card', async ({ page }) => {
  await page.goto(appUrl());
  const report = await importConfig(page);
  for (const name of ['b1', 'b2', 'app']) await expect(report.getByTestId('import-updated')).toContainText(name);
  await expect(report.getByTestId('import-created')).toHaveCount(0);
  await page.getByTestId('import-dialog').getByTestId('cancel').click();
  await expect(page.locator(`[data-testid=group-row][data-name="Imported from ${config}"]`)).toHaveCount(1);
  await expect(hostRow(page, 'app')).toHaveCount(1);

  await b2.restart({ newHostKeys: true });
  await rowAction(hostRow(page, 'app'), 'row-connect');
  const card = page.getByTestId('connect-error');
  await expect(card).toHaveAttribute('data-code', 'HOST_KEY_CHANGED');
  await expect(card.getByTestId('failed-hop')).toHaveText('via jump host b2');
  const hops = card.getByTestId('chain-hop');
  await expect(hops).toHaveText(['b1', 'b2']);
  await expect(hops.nth(0)).toHaveAttribute('data-state', 'ok');
  await expect(hops.nth(1)).toHaveAttribute('data-state', 'failed');

  await card.getByTestId('show-log').click();
  await expect(card.getByTestId('session-log')).toContainText('Server host key');
  await expect(page.getByTestId('prompt')).toHaveCount(0);
  await page.screenshot({ path: 'test/output/e2e/import-hop-error.png' });
});

test('kept linked: the editor says where the settings come from, and a connection follows the file as it is now', async ({ page }) => {
  const dir = await tempDir('warren-e2e-linked-');
  const file = join(dir, 'config');
  const block = (sshd: Sshd) => `Host linked-app\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${TEST_USER}\n  IdentityFile ${key.path}\n`;
  // b1's key is trusted by the tests before; first the file names b1
  await writeFile(file, block(b1));
  await page.goto(appUrl());
  await page.getByTestId('import-sshconfig').click();
  const dialog = page.getByTestId('import-dialog');
  await dialog.locator('[name=file]').fill(file);
  await dialog.locator('[name=linked]').check();
  await dialog.getByTestId('save').click();
  await expect(dialog.getByTestId('import-created')).toContainText('linked-app');
  await dialog.getByTestId('cancel').click();
  await rowAction(hostRow(page, 'linked-app'), 'row-edit');
  await expect(page.getByTestId('host-linked')).toContainText(`Linked to ${file} (Host linked-app)`);
  await page.getByTestId('host-editor').getByTestId('cancel').click();
  // now the file sends it to the chain's target (trusted in the first test): the new connection logs in there
  await writeFile(file, block(target));
  const before = await target.acceptedLogins();
  await rowAction(hostRow(page, 'linked-app'), 'row-connect');
  await expect(page.locator('[data-testid=terminal][data-active=true]')).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
  expect(await target.acceptedLogins()).toBe(before + 1);
  const { client, close } = await contract();
  try {
    const group = (await client.call('tree.get', {})).groups.find((g) => g.name === `Imported from ${file}`);
    if (group) await client.call('items.delete', { hostIds: [], groupIds: [group.id] });
  } finally {
    close();
  }
});
