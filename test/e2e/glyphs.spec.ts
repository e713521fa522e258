// Glyphs as a user reads them, in both renderers: an underscore, descenders (gjpqy), box drawing, a wide
// CJK character and an emoji are drawn, not clipped away. Each test prints a line with the glyphs and the same
// line with spaces in their place at known rows of a real shell's screen, and compares the pixels of the two
// rows (and the px below): a glyph that is not drawn leaves them equal.
import { expect, test, type Page } from '@playwright/test';
import { startSshd, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, createHost, rowAction } from './app.js';

// its own sshd: the shared one's first host-key question belongs to terminal.spec
let sshd: Sshd;
test.beforeAll(async () => {
  sshd = await startSshd();
});
test.afterAll(async () => {
  await sshd.stop();
});

/** what is drawn on a screen row (1-based) of the active terminal and just below it, as PNG bytes */
async function rowPixels(page: Page, row: number): Promise<Buffer> {
  const screen = page.locator('[data-testid=terminal][data-active=true] .xterm-screen');
  const box = (await screen.boundingBox())!;
  const rows = Number(await page.locator('[data-testid=terminal][data-active=true]').getAttribute('data-rows'));
  const cell = box.height / rows;
  return page.screenshot({ clip: { x: box.x, y: box.y + (row - 1) * cell, width: Math.min(box.width, 400), height: cell + 3 } });
}

/** what is checked: a line with it, and the same line without it (spaces of its width in its place) */
const GLYPHS: [string, string, string][] = [
  ['underscores', 'a_b__c___d', 'a b  c   d'],
  ['descenders', 'gjpqy', '     '],
  ['box drawing', '┌─┬─┐', '     '],
  ['wide CJK', '東京', '    '],
  ['emoji', '🙂', '  '],
];
for (const renderer of ['dom', 'webgl'] as const) {
  test(`glyphs are drawn whole in the ${renderer} renderer`, async ({ page }) => {
    await answerVault(page);
    await acceptHostKeys(page);
    await page.goto(appUrl(`?renderer=${renderer}`));
    const name = `glyphs-${renderer}`;
    await createHost(page, { name, port: sshd.port });
    await rowAction(page.locator(`[data-testid=host-row]:not([data-section])[data-name="${name}"]`), 'row-connect');
    const term = page.locator('[data-testid=terminal][data-active=true]');
    await expect(term).toHaveAttribute('data-session-id', /.+/, { timeout: 20_000 });
    const used = await term.getAttribute('data-renderer');
    test.skip(used !== renderer, `this browser has no WebGL2 (the terminal uses ${used}); the DOM test covers the glyphs`);
    await expect(term.locator('.xterm-helper-textarea')).toBeFocused();
    for (const [what, text, blank] of GLYPHS) {
      // the glyphs on row 3, the same width of spaces on row 6, the prompt on row 10; as octal escapes of their
      // UTF-8 bytes (the shell runs in the C locale, where its line editor drops what is not ASCII)
      const octal = (t: string) => [...Buffer.from(t, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
      await page.keyboard.type(`clear; printf '\\033[3;1H${octal(text)}\\033[6;1H${blank}\\033[10;1H'\n`);
      await page.waitForTimeout(500);
      expect((await rowPixels(page, 3)).equals(await rowPixels(page, 6)), `${what} (${text}) are drawn`).toBe(false);
    }
    await page.screenshot({ path: `test/output/e2e/glyphs-${renderer}.png` });
    const { client, close } = await contract();
    try {
      const host = (await client.call('tree.get', {})).hosts.find((h) => h.name === name)!;
      await page.locator('[data-testid=tab][data-active=true]').getByTestId('tab-close').click();
      await client.call('items.delete', { hostIds: [host.id], groupIds: [] });
    } finally {
      close();
    }
  });
}
