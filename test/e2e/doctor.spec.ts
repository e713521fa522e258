// The connection doctor as a user meets it: from a failed connection's card, and from a host's row.
// Each run is checked for its verdict and its advice, and the copied report for what it must leave out.
import { expect, test, type Page } from '@playwright/test';
import { startSshd, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { answerVault, appUrl, createHost, rowAction } from './app.js';

const step = (page: Page, id: string) => page.locator(`[data-testid=doctor] [data-testid=doctor-step][data-step=${id}]`);

test('a closed port: Diagnose from the error card → TCP refused, the rest not checked', async ({ page }) => {
  await page.goto(appUrl());
  await page.getByTestId('quick-connect').fill(`${TEST_USER}@127.0.0.1:1`);
  await page.getByTestId('quick-connect').press('Enter');
  const card = page.getByTestId('connect-error');
  await expect(card).toHaveAttribute('data-code', 'TCP_REFUSED');
  await card.getByTestId('diagnose').click();

  const doctor = page.getByTestId('doctor');
  await expect(doctor.getByTestId('doctor-summary')).toHaveAttribute('data-ok', 'false');
  await expect(doctor.getByTestId('doctor-summary')).toContainText('Failed: TCP connection to 127.0.0.1:1');
  await expect(step(page, 'dns')).toHaveAttribute('data-status', 'pass');
  await expect(step(page, 'tcp')).toHaveAttribute('data-status', 'fail');
  await expect(step(page, 'tcp')).toContainText('refused the connection');
  await expect(step(page, 'tcp').getByTestId('doctor-advice')).toContainText('Check that sshd runs on the server');
  for (const id of ['banner', 'kex', 'hostkey', 'methods', 'auth']) await expect(step(page, id)).toHaveAttribute('data-status', 'skip');

  await doctor.getByTestId('doctor-close').click();
  await expect(doctor).toHaveCount(0);
});

// its own sshd, which accepts keys only: the saved password cannot work there
test.describe('an sshd that accepts keys only', () => {
  let sshd: Sshd;
  test.beforeAll(async () => {
    sshd = await startSshd({ extraConfig: ['AuthenticationMethods publickey'] });
  });
  test.afterAll(async () => {
    await sshd.stop();
  });

  test('publickey only: Diagnose from the host row → the password cannot work; the copied report has no password', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await answerVault(page);
    await page.goto(appUrl());
    await createHost(page, { name: 'doc-keys-only', port: sshd.port });
    const row = page.locator('[data-testid=host-row]:not([data-section])[data-name=doc-keys-only]');

    // the doctor never trusts a host key itself: connect once and accept it (the login then fails)
    await rowAction(row, 'row-connect');
    const hk = page.locator('[data-testid=prompt][data-kind=hostkey]');
    await expect(hk).toBeVisible();
    await hk.getByTestId('prompt-accept').click();
    await expect(page.getByTestId('connect-error')).toBeVisible();

    await rowAction(row, 'row-diagnose');
    const doctor = page.getByTestId('doctor');
    await expect(doctor.getByTestId('doctor-summary')).toContainText('Failed: Log in as');
    await expect(step(page, 'hostkey')).toHaveAttribute('data-status', 'pass');
    await expect(step(page, 'methods')).toHaveAttribute('data-status', 'pass');
    await expect(step(page, 'methods')).toContainText('The server accepts: publickey.');
    const auth = step(page, 'auth');
    await expect(auth).toHaveAttribute('data-status', 'fail');
    const attempt = auth.getByTestId('doctor-attempt');
    await expect(attempt).toHaveCount(1);
    await expect(attempt).toHaveAttribute('data-result', 'not-tried');
    await expect(attempt).toContainText('password (saved)');
    await expect(attempt).toContainText('the server does not accept password or keyboard-interactive');
    await expect(auth.getByTestId('doctor-advice')).toContainText('The server accepts only publickey, so a password cannot log in here.');
    await page.screenshot({ path: 'test/output/e2e/doctor.png' });

    await doctor.getByTestId('doctor-copy').click();
    await expect(page.locator('[data-testid=toast][data-kind=info]').filter({ hasText: 'Copied' })).toBeVisible();
    const text = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(text).toContain('Warren connection doctor: doc-keys-only');
    expect(text).toContain('FAIL  Log in as');
    expect(text).not.toContain(TEST_PASSWORD);

    // run again: a fresh run comes to the same verdict
    await doctor.getByTestId('doctor-again').click();
    await expect(step(page, 'auth')).toHaveAttribute('data-status', 'fail');
    await expect(doctor.getByTestId('doctor-summary')).toContainText('Failed: Log in as');
  });
});
