// The key manager as a user meets it: generate an Ed25519 key in the Keys view, deploy it to a host
// that logs in with a password (the login proof says ok), switch the host to that key alone, and log in.
import { expect, test } from '@playwright/test';
import { startSshd, TEST_USER, type Sshd } from '../harness/ssh.js';
import { answerVault, appUrl, createHost, rowAction } from './app.js';

// its own sshd, reading the user's real ~/.ssh/authorized_keys (where a deploy writes) rather than the
// harness's per-sshd file; its log shows this spec's publickey login and nothing else's
let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd({ extraConfig: ['AuthorizedKeysFile .ssh/authorized_keys'] });
});
test.afterAll(async () => {
  await sshd.stop();
});

const acceptedPublickey = async () => (await sshd.log()).match(/Accepted publickey for /g)?.length ?? 0;

test('generate a key, deploy it with the login proof, then log in with it alone', async ({ page }) => {
  const suffix = Date.now().toString(36);
  const hostName = `keys-box-${suffix}`;
  const keyName = `e2e_ed25519_${suffix}`;
  await answerVault(page);
  await page.goto(appUrl());

  // a host that logs in with a saved password
  await createHost(page, { name: hostName, port: sshd.port });
  const row = page.locator(`[data-testid=host-row]:not([data-section])[data-name="${hostName}"]`);

  // generate a key in the Keys view
  await page.getByTestId('view-keys').click();
  const keys = page.getByTestId('keys');
  await expect(keys).toBeVisible();
  await keys.getByTestId('key-generate').click();
  const gen = page.getByTestId('key-generate-dialog');
  await expect(gen.locator('[name=type]')).toHaveValue('ed25519');
  await gen.locator('[name=name]').fill(keyName);
  await gen.locator('[name=comment]').fill(`warren-e2e-${suffix}`);
  await gen.getByTestId('save').click();
  await expect(gen).toHaveCount(0);
  const keyRow = keys.locator(`[data-testid=key-row][data-name="${keyName}"]`);
  await expect(keyRow).toBeVisible();
  await expect(keyRow).toContainText('ED25519');
  await expect(keyRow.getByTestId('key-fingerprint')).toHaveText(/^SHA256:[A-Za-z0-9+/]{43}$/);
  const keyPath = await keyRow.getByTestId('key-path').innerText();
  expect(keyPath).toMatch(new RegExp(`/${keyName}$`));

  // deploy it: the host key prompt may come (first contact with this sshd), then the login proof
  await keyRow.hover();
  await keyRow.getByTestId('key-deploy').click();
  const deploy = page.getByTestId('key-deploy-dialog');
  await deploy.locator('[name=host]').selectOption({ label: `${hostName} (${TEST_USER}@127.0.0.1)` });
  await deploy.getByTestId('deploy').click();
  const hk = page.locator('[data-testid=prompt][data-kind=hostkey]');
  const result = deploy.getByTestId('deploy-result');
  await expect(async () => {
    if (await hk.isVisible()) await hk.getByTestId('prompt-accept').click();
    await expect(result).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 30_000 });
  await expect(result).toHaveAttribute('data-added', 'true');
  await expect(deploy.getByTestId('deploy-login')).toContainText('login proof ok');
  await page.screenshot({ path: 'test/output/e2e/keys-deploy.png' });
  await deploy.getByTestId('close').click();
  await expect(deploy).toHaveCount(0);
  await page.screenshot({ path: 'test/output/e2e/keys.png' });

  // the host now logs in with that key alone: no password
  await rowAction(row, 'row-edit');
  const he = page.getByTestId('host-editor');
  await he.locator('[name=auth]').selectOption('key');
  await he.locator('[name=identityFile]').fill(keyPath);
  await he
    .locator('.field', { has: page.locator('[name=password]') })
    .getByRole('button', { name: 'Forget' })
    .click();
  await he.getByTestId('save').click();
  await expect(he).toHaveCount(0);

  const before = await acceptedPublickey();
  await rowAction(row, 'row-connect');
  const term = page.locator('[data-testid=terminal][data-active=true]');
  await expect(async () => {
    if (await hk.isVisible()) await hk.getByTestId('prompt-accept').click();
    await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 500 });
  }).toPass({ timeout: 20_000 });
  await term.click();
  await page.keyboard.type('echo key-$((4*5))');
  await page.keyboard.press('Enter');
  await expect.poll(async () => /^key-20$/m.test(await term.locator('.xterm-rows').innerText()), { message: 'key-20 on screen' }).toBe(true);
  expect(await acceptedPublickey()).toBeGreaterThan(before);
  expect(await sshd.log()).toMatch(new RegExp(`Accepted publickey for ${TEST_USER} from 127\\.0\\.0\\.1 port \\d+ ssh2: ED25519 SHA256:`));

  // rotate from the host row: every step reported, the host switched to a new key
  await rowAction(row, 'row-rotate');
  const rotate = page.getByTestId('rotate-dialog');
  await rotate.getByTestId('rotate-start').click();
  await expect(rotate.getByTestId('rotate-run')).toHaveAttribute('data-done', 'true', { timeout: 30_000 });
  await page.screenshot({ path: 'test/output/e2e/keys-rotate.png' });
  await expect(rotate.getByTestId('rotate-run')).toHaveAttribute('data-ok', 'true');
  for (const step of ['generate', 'deploy', 'test', 'switch', 'remove-old'])
    await expect(rotate.locator(`[data-testid=rotate-step][data-step="${step}"]`)).toHaveAttribute('data-status', /done|skipped/);
  await rotate.getByTestId('close').click();
});
