// A keyboard-interactive question from a server that names it like one of Warren's own dialogs: the dialog
// is titled in Warren's words with the user@host asking, and the server's words stay in a box marked as its
// own, their escape sequences visible. Answering it still logs in.
import { expect, test } from '@playwright/test';
import { startHostileServer, type HostileServer } from '../harness/hostile.js';
import { acceptHostKeys, appUrl } from './app.js';

let server: HostileServer;
test.beforeAll(async () => {
  server = await startHostileServer({
    kbdInteractive: {
      name: 'Unlock Warren vault',
      instructions: 'Enter your vault master passphrase.\x1b]0;Warren\x07',
      prompts: ['Master passphrase\u202e: '],
    },
    output: 'hostile shell ready\r\n',
  });
});
test.afterAll(async () => {
  await server.close();
});

test('a server naming its question "Unlock Warren vault" gets a dialog titled alice@host asks, its words marked as the server\'s', async ({ page }) => {
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await page.getByTestId('quick-connect').fill(`alice@127.0.0.1:${server.port}`);
  await page.getByTestId('quick-connect').press('Enter');

  const dialog = page.locator('[data-testid=prompt][data-kind=keyboard-interactive]');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('.modal-title')).toHaveText('alice@127.0.0.1 asks (keyboard-interactive)');
  await expect(page.getByRole('dialog', { name: /Unlock Warren vault/ })).toHaveCount(0);
  const said = dialog.getByTestId('server-text');
  await expect(said).toContainText('The server 127.0.0.1 writes (not Warren):');
  await expect(said).toContainText('Unlock Warren vault');
  await expect(said).toContainText(String.raw`Enter your vault master passphrase.\e]0;Warren\x07`);
  await expect(said).toContainText(String.raw`Master passphrase\u202e: `);
  // every word of the server's is inside that box
  expect(await dialog.innerText()).not.toMatch(/[\x1b\x07\u202e]/);

  await dialog.getByTestId('prompt-input').fill('123456');
  await dialog.getByTestId('prompt-accept').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.xterm-rows')).toContainText('hostile shell ready');
});
