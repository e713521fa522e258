// Find in the terminal as a user does it: Ctrl+Shift+F, then match case, whole word and regular expression
// toggles, next / previous with "n of m", and a pattern that does not compile said so. Real sshd, real Chromium.
import { expect, test } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { contract, openHost } from './app.js';

let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  const { client, close } = await contract();
  try {
    const host = (await client.call('tree.get', {})).hosts.find((h) => h.name === NAME);
    if (host) await client.call('items.delete', { hostIds: [host.id], groupIds: [] });
  } finally {
    close();
  }
  await sshd.stop();
});

const NAME = 'search-box';

test('search: case, whole word, regex, next and previous', async ({ page }) => {
  await openHost(page, { name: NAME, port: sshd.port }, 'row-connect');
  const term = page.locator('[data-testid=terminal][data-active=true]');
  await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
  await term.click();
  // the words come from escapes, so the command line typed holds none of them
  await page.keyboard.type(`printf '\\x41lpha \\x61lpha \\x41LPHA \\x61lphabet\\n'\n`);
  await expect(term.locator('.xterm-rows')).toContainText('Alpha alpha ALPHA alphabet');

  await page.keyboard.press('Control+Shift+F');
  const box = page.getByTestId('term-search');
  const count = page.getByTestId('term-search-count');
  await box.fill('alpha');
  await expect(count).toHaveText(/of 4$/);
  await page.getByTestId('term-search-caseSensitive').click();
  await expect(count).toHaveText(/of 2$/);
  await box.press('Alt+KeyW');
  await expect(page.getByTestId('term-search-wholeWord')).toHaveAttribute('aria-pressed', 'true');
  await expect(count).toHaveText('1 of 1');
  // back to every case, still whole words: Alpha, alpha, ALPHA; Enter and Shift+Enter walk them
  await page.getByTestId('term-search-caseSensitive').click();
  await expect(count).toHaveText(/of 3$/);
  const at = async () => Number((await count.textContent())!.split(' ')[0]);
  const first = await at();
  await box.press('Enter');
  await expect.poll(at).toBe((first % 3) + 1);
  await box.press('Shift+Enter');
  await expect.poll(at).toBe(first);

  await page.getByTestId('term-search-wholeWord').click();
  await page.getByTestId('term-search-regex').click();
  await box.fill('A[L]PHA|bet$');
  await expect(count).toHaveText(/of 5$/); // A[L]PHA in any case: the four alphas; and the bet that ends the line
  await box.fill('alpha(');
  await expect(count).toHaveText('not a valid regular expression');
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  await box.fill('ALPHA\\s+\\w+bet');
  await expect(count).toHaveText('1 of 1');
  await page.screenshot({ path: 'test/output/e2e/search.png' });
  await box.press('Escape');
  await expect(box).toHaveCount(0);
});
