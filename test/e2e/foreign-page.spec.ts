// Browser mode's token as the browser holds it: gone from the address bar and the history once the app
// has loaded, kept for a reload (sessionStorage), and out of reach of a page that another server on
// 127.0.0.1 serves: no cookie goes to it, its script cannot read the token, and it cannot open a
// working WebSocket to Warren even with the token in hand (Origin check). And the app loads without
// tripping its own Content-Security-Policy.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { appUrl } from './app.js';

const warren = new URL(process.env.WARREN_E2E_URL!);
const token = new URLSearchParams(warren.hash.slice(1)).get('token')!;

/** another local web server, as a dev server the user also visits; records the Cookie header of every request */
let foreign: http.Server;
let foreignUrl: string;
const cookiesSeen: string[] = [];
test.beforeAll(async () => {
  foreign = http.createServer((req, res) => {
    if (req.headers.cookie !== undefined) cookiesSeen.push(`${req.url}: ${req.headers.cookie}`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>another local server</title><p>hello');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`;
});
test.afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));

/** the app has its server: the tree is drawn and the status bar shows what the server said (app.info) */
async function expectConnected(page: Page): Promise<void> {
  await expect(page.getByTestId('tree')).toBeVisible();
  await expect(page.locator('.statusbar')).toContainText('browser mode');
}

test('the token leaves the address bar and history, a reload still connects, the app loads without a CSP violation', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to|violates/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  // registered before any of the app's scripts run (a string: this tsconfig has no DOM types)
  await page.addInitScript(`window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));`);

  await page.goto(appUrl());
  await expectConnected(page);
  expect(page.url()).toBe(`${warren.origin}/?renderer=dom`);
  expect(violations.concat(await page.evaluate<string[]>('window.__violations'))).toEqual([]);

  await page.reload();
  await expectConnected(page);
  expect(page.url()).not.toContain(token);

  // the history entry holds the address bar's URL, not the one first opened
  await page.goto(foreignUrl);
  await page.goBack();
  expect(page.url()).toBe(`${warren.origin}/?renderer=dom`);
  await expectConnected(page);

  // the printed URL pasted again into a tab that holds another (an earlier server's) token: only the
  // fragment changes, so the page takes the token and reloads with it
  await page.evaluate(`sessionStorage.setItem('warren.token', 'an-earlier-servers-token')`);
  await Promise.all([page.waitForEvent('load'), page.goto(appUrl())]);
  expect(await page.evaluate<string | null>(`sessionStorage.getItem('warren.token')`)).toBe(token);
  expect(page.url()).toBe(`${warren.origin}/?renderer=dom`);
  await expectConnected(page);
});

test('a page of another 127.0.0.1 server gets no cookie, cannot read the token, and cannot open a working WebSocket to Warren', async ({ page, context }) => {
  await page.goto(appUrl());
  await expectConnected(page);

  const other = await context.newPage();
  await other.goto(foreignUrl);
  expect(cookiesSeen).toEqual([]);
  expect(await other.evaluate<string>('document.cookie')).toBe('');
  expect(await other.evaluate<number>('sessionStorage.length + localStorage.length')).toBe(0);
  // Warren's page is readable to it only through CORS, which Warren does not grant (and holds no token)
  expect(await other.evaluate<string>(`fetch(${JSON.stringify(warren.origin + '/')}).then(() => 'read', (e) => 'refused: ' + e.name)`)).toBe(
    'refused: TypeError',
  );
  // even with the token in hand, the WebSocket is refused: its Origin is the other server's
  const ws = await other.evaluate<string>(`new Promise((resolve) => {
    const ws = new WebSocket(${JSON.stringify(`ws://${warren.host}/rpc`)}, ['warren.v1', ${JSON.stringify(`warren.token.${token}`)}]);
    ws.onopen = () => resolve('open');
    ws.onclose = (e) => resolve('closed ' + e.code);
  })`);
  expect(ws).toBe('closed 1006');

  // Warren's own tab is untouched by all that
  await page.reload();
  await expectConnected(page);
});
