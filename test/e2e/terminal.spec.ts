// The foundation scenario as a user lives it: build the tree, connect, trust the host key, work in a
// terminal, resize, open a second tab on the same connection, disconnect. Real sshd, real Chromium.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { TEST_PASSWORD, TEST_USER } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, createHost, rowAction, runInTerminal } from './app.js';

const sshd = JSON.parse(process.env.WARREN_E2E_SSHD ?? '{}') as { port: number; logFile: string; hostKeys: { type: string; fingerprint: string }[] };
const acceptedLogins = async () => ((await readFile(sshd.logFile, 'utf8')).match(/Accepted /g) ?? []).length;

test('tree → connect → host key → terminal → resize → shared second tab → disconnect', async ({ page }) => {
  // other specs may have trusted this sshd already: forget its key (as OpenSSH's tool does), so this is a first meeting
  const knownHosts = path.join(process.env.WARREN_E2E_DATA_DIR!, 'known_hosts');
  await promisify(execFile)('ssh-keygen', ['-R', `[127.0.0.1]:${sshd.port}`, '-f', knownHosts]).catch(() => undefined);
  await page.goto(appUrl());
  await expect(page.getByTestId('tree')).toBeVisible();

  // a group whose defaults the host inherits
  await page.getByTestId('new-group').click();
  const ge = page.getByTestId('group-editor');
  await ge.locator('[name=name]').fill('prod');
  await ge.locator('[name=user]').fill(TEST_USER);
  await ge.getByTestId('save').click();
  await expect(page.locator('[data-testid=group-row][data-name=prod]')).toBeVisible();

  await page.getByTestId('new-host').click();
  const he = page.getByTestId('host-editor');
  await he.locator('[name=name]').fill('box');
  await he.locator('[name=hostname]').fill('127.0.0.1');
  await he.locator('[name=port]').fill(String(sshd.port));
  await he.locator('[name=groupId]').selectOption({ label: 'prod' });
  await he.locator('[name=auth]').selectOption('password');
  await expect(he.locator('[name=user]')).toHaveAttribute('placeholder', new RegExp(TEST_USER));
  await he.getByTestId('save').click();
  const hostRow = page.locator('[data-testid=host-row]:not([data-section])[data-name=box]');
  await expect(hostRow).toBeVisible();

  // connect: the host key is shown with ssh-keygen's fingerprint, then the password is asked
  await rowAction(hostRow, 'row-connect');
  const hk = page.locator('[data-testid=prompt][data-kind=hostkey]');
  await expect(hk).toBeVisible();
  const shown = (await hk.getByTestId('fingerprint').innerText()).trim();
  expect(sshd.hostKeys.map((k) => k.fingerprint)).toContain(shown);
  await hk.getByTestId('prompt-accept').click();
  const pw = page.locator('[data-testid=prompt][data-kind=password]');
  await expect(pw).toBeVisible();
  await pw.getByTestId('prompt-input').fill(TEST_PASSWORD);
  await pw.getByTestId('prompt-accept').click();

  await expect(page.locator('[data-testid=tab][data-state=open]')).toHaveCount(1);
  const term = page.locator('[data-testid=terminal][data-active=true]');
  await expect(term).toHaveAttribute('data-session-id', /.+/);
  const loginsAfterFirst = await acceptedLogins();

  await runInTerminal(page, term, 'echo $((6*7))', /^42$/m);

  // resizing the window resizes the remote PTY
  const [, rows1, cols1] = await runInTerminal(page, term, 'clear; stty size', /^(\d+) (\d+)$/m);
  await page.setViewportSize({ width: 900, height: 560 });
  // the pane refits after a short debounce; the PTY follows
  await expect(async () => {
    const [, rows2, cols2] = await runInTerminal(page, term, 'clear; stty size', /^(\d+) (\d+)$/m);
    expect(Number(rows2)).toBeLessThan(Number(rows1));
    expect(Number(cols2)).toBeLessThan(Number(cols1));
  }).toPass({ timeout: 10_000 });
  await page.setViewportSize({ width: 1280, height: 800 });

  // a second tab on the same host reuses the connection: no new login, no new prompt
  const connectionId = await term.getAttribute('data-connection-id');
  await rowAction(hostRow, 'row-connect');
  await expect(page.locator('[data-testid=tab][data-state=open]')).toHaveCount(2);
  const term2 = page.locator('[data-testid=terminal][data-active=true]');
  await expect(term2).toHaveAttribute('data-reused', 'true');
  expect(await term2.getAttribute('data-connection-id')).toBe(connectionId);
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-connections', '1');
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-sessions', '2');
  expect(await acceptedLogins()).toBe(loginsAfterFirst);
  await expect(page.getByTestId('prompt')).toHaveCount(0);
  await runInTerminal(page, term2, 'echo second-$((20+1))', /^second-21$/m);

  await page.screenshot({ path: 'test/output/e2e/connected.png' });

  // disconnect both tabs: the shared connection closes with the last one
  for (let i = 0; i < 2; i++) await page.getByTestId('tab-close').first().click();
  await expect(page.getByTestId('tab')).toHaveCount(0);
  await expect(page.getByTestId('status-connections')).toHaveAttribute('data-connections', '0');
});

test('quick connect, filter and drag a host into a group', async ({ page }) => {
  await page.goto(appUrl());
  await expect(page.getByTestId('tree')).toBeVisible();

  await page.getByTestId('new-group').click();
  await page.getByTestId('group-editor').locator('[name=name]').fill('staging');
  await page.getByTestId('group-editor').getByTestId('save').click();
  await page.getByTestId('new-host').click();
  const he = page.getByTestId('host-editor');
  // named to sort first of the top-level hosts, right under the groups: the drag below stays on screen
  // whatever hosts the other specs left in the tree
  await he.locator('[name=name]').fill('0-web');
  await he.locator('[name=hostname]').fill('web-1.example.internal');
  await he.getByTestId('save').click();
  const web = page.locator('[data-testid=host-row]:not([data-section])[data-name="0-web"]');
  const staging = page.locator('[data-testid=group-row][data-name=staging]');
  // the saved host is shown and selected
  await expect(web).toBeVisible();
  await expect(web).toHaveAttribute('aria-selected', 'true');

  // drag and drop the host onto the group; its editor then shows the new group
  await web.dragTo(staging);
  await expect(async () => {
    await rowAction(web, 'row-edit');
    const selected = page.getByTestId('host-editor').locator('[name=groupId] option:checked');
    try {
      await expect(selected).toHaveText(/staging/, { timeout: 1000 });
    } finally {
      await page.getByTestId('host-editor').getByTestId('cancel').click();
    }
  }).toPass();

  // the filter hides what does not match and keeps matches with their groups
  await page.getByTestId('tree-filter').fill('0-web');
  await expect(web).toBeVisible();
  await expect(page.locator('[data-testid=host-row]:not([data-section])[data-name=box]')).toHaveCount(0);
  await page.getByTestId('tree-filter').fill('');

  // quick connect with user@host:port (the host key is known from the first test: only the password is asked)
  await page.getByTestId('quick-connect').fill(`${TEST_USER}@127.0.0.1:${sshd.port}`);
  await page.getByTestId('quick-connect').press('Enter');
  const pw = page.locator('[data-testid=prompt][data-kind=password]');
  await expect(pw).toBeVisible();
  await pw.getByTestId('prompt-input').fill(TEST_PASSWORD);
  await pw.getByTestId('prompt-accept').click();
  const term = page.locator('[data-testid=terminal][data-active=true]');
  await runInTerminal(page, term, 'whoami', new RegExp(`^${TEST_USER}$`, 'm'));
  await page.getByTestId('tab-close').first().click();
});

test('a closed port shows the TCP layer and what to do', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('quick-connect').fill(`${TEST_USER}@127.0.0.1:1`);
  await page.getByTestId('quick-connect').press('Enter');
  const card = page.getByTestId('connect-error');
  await expect(card).toHaveAttribute('data-code', 'TCP_REFUSED');
  await expect(card).toContainText('TCP');
  await expect(card).toContainText('refused the connection');
  await expect(card.getByTestId('retry')).toBeVisible();
});

test('a double-click on a host row connects exactly once', async ({ page }) => {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await createHost(page, { name: 'dbl-click', port: sshd.port });
  const before = await acceptedLogins();
  await page.locator('[data-testid=host-row]:not([data-section])[data-name="dbl-click"]').dblclick();
  const term = page.locator('[data-testid=terminal][data-active=true]');
  await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
  // a moment for a second connect to show, if a double-click made one
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('tab')).toHaveCount(1);
  expect(await acceptedLogins()).toBe(before + 1);
  const { client, close } = await contract();
  try {
    const host = (await client.call('tree.get', {})).hosts.find((h) => h.name === 'dbl-click');
    if (host) await client.call('items.delete', { hostIds: [host.id], groupIds: [] });
  } finally {
    close();
  }
});
