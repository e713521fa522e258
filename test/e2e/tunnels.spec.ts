// The tunnel dashboard as a user lives it: a host with a saved password, a local forward to a small
// HTTP server, the switch on, a real request through it, live counters, the switch off, copy as ssh
// command, a port conflict fixed with the offered free port, and the host tree's start/stop.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { acceptHostKeys, answerVault, appUrl, createHost, rowAction } from './app.js';

const sshd = JSON.parse(process.env.WARREN_E2E_SSHD ?? '{}') as { port: number };
const BODY = 'hello through a warren tunnel';
const HOST = 'tunnel-box';

let server: http.Server;
let httpPort: number;

test.beforeAll(async () => {
  server = http.createServer((_req, res) => res.end(BODY));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  httpPort = (server.address() as AddressInfo).port;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** GET / on a local port, on a fresh connection each time (no keep-alive pool to hide a closed port) */
function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** `bindPort: 'free'` asks the editor for a port that is free now (tunnels.freePort) */
async function createTunnel(page: Page, fields: { name: string; kind: 'local' | 'dynamic'; bindPort: number | 'free'; destPort?: number }): Promise<void> {
  await page.getByTestId('new-tunnel').click();
  const editor = page.getByTestId('tunnel-editor');
  await editor.locator('[name=name]').fill(fields.name);
  await editor.locator('[name=hostId]').selectOption({ label: HOST });
  await editor.locator('[name=kind]').selectOption(fields.kind);
  if (fields.bindPort === 'free') {
    await editor.getByTestId('suggest-port').click();
    await expect(editor.locator('[name=bindPort]')).toHaveValue(/^\d+$/);
  } else {
    await editor.locator('[name=bindPort]').fill(String(fields.bindPort));
  }
  if (fields.destPort !== undefined) {
    await editor.locator('[name=destHost]').fill('127.0.0.1');
    await editor.locator('[name=destPort]').fill(String(fields.destPort));
  }
  await editor.getByTestId('save').click();
  await expect(editor).toHaveCount(0);
}

const row = (page: Page, name: string) => page.locator(`[data-testid=tunnel-row][data-name="${name}"]`);
const counter = async (page: Page, name: string, testId: string, attribute: string) =>
  Number(await row(page, name).getByTestId(testId).getAttribute(attribute));

test('tunnel dashboard: switch on, traffic through it, switch off, copy as ssh command, free port, host tree', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await createHost(page, { name: HOST, port: sshd.port });

  await page.getByTestId('view-tunnels').click();
  await expect(page.getByTestId('tunnels')).toBeVisible();

  // the editor warns about a non-loopback address and will not save it unconfirmed
  await page.getByTestId('new-tunnel').click();
  const editor = page.getByTestId('tunnel-editor');
  await editor.locator('[name=bindAddress]').fill('0.0.0.0');
  await expect(editor.getByTestId('exposed-warning')).toContainText('network');
  await expect(editor.getByTestId('tunnel-problems')).toContainText('exposes the port to the network');
  await editor.locator('[name=exposed]').check();
  await expect(editor.getByTestId('tunnel-problems')).not.toContainText('exposes the port');
  await editor.getByTestId('cancel').click();

  await createTunnel(page, { name: 'web', kind: 'local', bindPort: 'free', destPort: httpPort });
  await createTunnel(page, { name: 'socks', kind: 'dynamic', bindPort: 'free' });
  // a port that is taken (the HTTP server's own): starting fails and a free port is offered
  await createTunnel(page, { name: 'clash', kind: 'local', bindPort: httpPort, destPort: httpPort });

  const web = row(page, 'web');
  await expect(web).toHaveAttribute('data-state', 'stopped');
  await expect(web.getByTestId('tunnel-switch')).toHaveAttribute('aria-checked', 'false');
  await web.getByTestId('tunnel-switch').click();
  await expect(web).toHaveAttribute('data-state', 'up');
  await expect(web.getByTestId('tunnel-state')).toHaveText('up');
  const boundPort = Number(await web.getAttribute('data-bound-port'));
  expect(boundPort).toBeGreaterThan(0);
  await expect(web.locator('.tunnel-spec')).toHaveText(`127.0.0.1:${boundPort} → 127.0.0.1:${httpPort}`);

  expect(await get(boundPort)).toBe(BODY);
  await expect.poll(() => counter(page, 'web', 'tunnel-bytes-in', 'data-bytes')).toBeGreaterThan(0);
  await expect.poll(() => counter(page, 'web', 'tunnel-bytes-out', 'data-bytes')).toBeGreaterThan(0);
  await expect.poll(() => counter(page, 'web', 'tunnel-sparkline', 'data-peak'), { timeout: 5000 }).toBeGreaterThan(0);

  const clash = row(page, 'clash');
  await clash.getByTestId('tunnel-switch').click();
  await expect(clash).toHaveAttribute('data-state', 'failed');
  await expect(clash.getByTestId('tunnel-error')).toContainText(`Local port ${httpPort} is already in use`);
  await expect(clash.getByTestId('tunnel-free-port')).toBeVisible();

  // the tree shows how many of the host's tunnels are up
  const hostRow = page.locator(`[data-testid=host-row]:not([data-section])[data-name=${HOST}]`);
  await expect(hostRow.getByTestId('row-tunnels')).toHaveText('1/3');

  await expect(row(page, 'socks')).toHaveAttribute('data-state', 'stopped');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: 'test/output/e2e/tunnels.png' });

  const freePort = Number((await clash.getByTestId('tunnel-free-port').innerText()).replace(/\D/g, ''));
  await clash.getByTestId('tunnel-free-port').click();
  await expect(clash).toHaveAttribute('data-state', 'up');
  await expect(clash).toHaveAttribute('data-bound-port', String(freePort));
  expect(await get(freePort)).toBe(BODY);

  // off: stopped, and the port is closed
  await web.getByTestId('tunnel-switch').click();
  await expect(web).toHaveAttribute('data-state', 'stopped');
  await expect(web.getByTestId('tunnel-switch')).toHaveAttribute('aria-checked', 'false');
  await expect(get(boundPort)).rejects.toThrow(/ECONNREFUSED/);

  // copy as ssh command
  await web.getByTestId('tunnel-copy').click();
  await expect(page.locator('[data-testid=toast][data-kind=info]')).toHaveText('Copied');
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toMatch(
    new RegExp(`^ssh -N -L 127\\.0\\.0\\.1:${boundPort}:127\\.0\\.0\\.1:${httpPort} `),
  );

  // duplicate opens the editor on a copy
  await web.getByTestId('tunnel-duplicate').click();
  await expect(editor.locator('[name=name]')).toHaveValue('web (copy)');
  await editor.getByTestId('cancel').click();

  // the host tree starts and stops all of the host's tunnels (the terminals view shows meanwhile)
  await page.getByTestId('view-terminals').click();
  await expect(page.getByTestId('tunnels')).toHaveCount(0);
  await rowAction(hostRow, 'row-tunnels-start');
  await expect(hostRow.getByTestId('row-tunnels')).toHaveText('3/3');
  await rowAction(hostRow, 'row-tunnels-stop');
  await expect(hostRow.getByTestId('row-tunnels')).toHaveText('0/3');

  // delete asks first
  await page.getByTestId('view-tunnels').click();
  await row(page, 'socks').getByTestId('tunnel-delete').click();
  await page.getByTestId('confirm-ok').click();
  await expect(row(page, 'socks')).toHaveCount(0);
  await expect(page.getByTestId('tunnel-row')).toHaveCount(2);
});
