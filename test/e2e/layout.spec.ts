// Layouts that fit (issue 14): at 1024×700 and 1280×800, with the host tree at its default width, the
// tunnel dashboard (a host and tunnels with long names, one of them up) and the file panes (long file
// names on both sides, a transfer in the queue) need no horizontal scrolling, every button is on screen,
// and a file's name keeps at least 20 characters visible; with the tree at its widest, still nothing
// scrolls sideways. The host is made through the contract on
// the spec's own sshd (the shared one's first host-key question belongs to terminal.spec) and deleted
// at the end, with its tunnels.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { giveToTestUser, startSshd, TEST_PASSWORD, TEST_USER, type Sshd } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, rowAction } from './app.js';

const HOST = 'layout-box-eu-west-1-production-bastion-for-reporting';
const TUNNELS = [
  { name: 'postgres-primary-eu-west-1-reporting-replica (read only)', kind: 'local' },
  { name: 'grafana-internal-dashboards-through-the-bastion-host', kind: 'local' },
  { name: 'socks-proxy-for-browsing-the-private-network-segment', kind: 'dynamic' },
  { name: 'show-my-dev-server-on-port-3000-to-the-remote-colleagues', kind: 'remote' },
] as const;
const LONG = 'quarterly-infrastructure-cost-report-2026-Q4-final-v3.xlsx';
const FILES = [LONG, 'backup-postgres-primary-eu-west-1-2026-12-03T1416Z.sql.gz', 'bin', 'notes.txt'];
const FOLDER = 'a folder with a fairly long and descriptive name';

let sshd: Sshd;
let dir: string;
test.beforeAll(async () => {
  sshd = await startSshd();
  dir = `/home/${TEST_USER}/warren-e2e-layout-${randomBytes(4).toString('hex')}`;
  for (const side of ['', '/local', '/remote', `/local/${FOLDER}`, `/remote/${FOLDER}`]) {
    await mkdir(`${dir}${side}`);
  }
  for (const side of ['local', 'remote'])
    for (const [i, name] of FILES.entries()) {
      const path = `${dir}/${side}/${side === 'remote' ? `remote-${name}` : name}`;
      await writeFile(path, randomBytes(1024 * (i + 1) ** 3));
      // one file from a past year, one from today (the compact date forms)
      if (i === 1) await utimes(path, new Date('2024-05-17T09:30:00'), new Date('2024-05-17T09:30:00'));
    }
  await giveToTestUser(dir);
});
test.afterAll(async () => {
  await sshd.stop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * What is wider than its box under `root`: the page, the view, its main `containers` and every box that
 * scrolls, with how far; and every visible button whose right edge is past the window's.
 */
async function overflows(page: Page, root: string, containers: string[]): Promise<{ scroll: string[]; offscreen: string[] }> {
  // the test's TypeScript has no DOM types: the page's side is a string, as in the other specs
  return page.evaluate(`(() => {
    const name = (el) => el.tagName.toLowerCase() + (el.dataset?.testid ? '[' + el.dataset.testid + ']' : '') + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '');
    const view = document.querySelector(${JSON.stringify(root)});
    const checked = new Set([document.documentElement, document.body, view, ...${JSON.stringify(containers)}.flatMap((c) => [...view.querySelectorAll(c)])]);
    const scroll = [];
    for (const el of [...checked, ...view.querySelectorAll('*')]) {
      // text that ellipsises clips on purpose; the rest must not be wider than its box
      const scrolls = checked.has(el) || ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
      if (scrolls && el.scrollWidth > el.clientWidth) scroll.push(name(el) + ': ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
    const offscreen = [...view.querySelectorAll('button')]
      .filter((b) => b.getClientRects().length > 0 && b.getBoundingClientRect().right > innerWidth)
      .map((b) => name(b) + ' "' + (b.textContent || b.title) + '" right ' + Math.round(b.getBoundingClientRect().right));
    return { scroll, offscreen };
  })()`);
}

async function expectFits(page: Page, root: string, containers: string[]): Promise<void> {
  expect.soft(await overflows(page, root, containers), root).toEqual({ scroll: [], offscreen: [] });
}

async function rightOf(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  expect(box, 'on screen').not.toBeNull();
  return box!.x + box!.width;
}

/** the shown width of the name at `selector`, and the width its first `chars` characters need in the same font */
async function nameWidths(page: Page, selector: string, chars: number): Promise<{ shown: number; needed: number }> {
  return page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const probe = document.createElement('span');
    probe.style.cssText = 'position: absolute; visibility: hidden; white-space: pre';
    probe.textContent = el.textContent.slice(0, ${chars});
    el.parentElement.append(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    return { shown: el.getBoundingClientRect().width, needed };
  })()`);
}

/** `shot`: the screenshot's name; `chars`: how much of a long name must show */
async function checkTunnels(page: Page, width: number, shot: string, chars: number): Promise<void> {
  await page.getByTestId('view-tunnels').click();
  const rows = page.getByTestId('tunnel-row');
  await expect(rows).toHaveCount(TUNNELS.length);
  await expectFits(page, '[data-testid=tunnels]', ['.dashboard-toolbar', '.tunnel-grid', '[data-testid=tunnel-host]', '[data-testid=tunnel-row]']);
  const section = page.locator(`[data-testid=tunnel-host][data-name="${HOST}"]`);
  for (const button of ['host-start-all', 'host-stop-all']) expect.soft(await rightOf(section.getByTestId(button)), button).toBeLessThanOrEqual(width);
  for (const { name } of TUNNELS) {
    const row = page.locator(`[data-testid=tunnel-row][data-name="${name}"]`);
    for (const button of ['tunnel-switch', 'tunnel-copy', 'tunnel-edit', 'tunnel-duplicate', 'tunnel-delete'])
      expect.soft(await rightOf(row.getByTestId(button)), button).toBeLessThanOrEqual(width);
    const { shown, needed } = await nameWidths(page, `[data-testid=tunnel-row][data-name="${name}"] .tunnel-name-text`, chars);
    expect.soft(shown, `a tunnel name shows at least ${chars} characters`).toBeGreaterThanOrEqual(needed);
  }
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `test/output/e2e/layout-tunnels-${shot}.png` });
}

async function checkFiles(page: Page, width: number, shot: string, chars: number): Promise<void> {
  await page.getByTestId('view-files').click();
  await expectFits(page, '[data-testid=files]', [
    '.files-body',
    '[data-testid=sftp]',
    '[data-testid=pane-local]',
    '[data-testid=pane-remote]',
    '.pane-toolbar',
    '[data-testid=entries]',
    '[data-testid=transfers]',
    '.transfers-bar',
  ]);
  for (const [pane, name] of [
    ['pane-local', LONG],
    ['pane-remote', `remote-${LONG}`],
  ] as const) {
    const entry = page.getByTestId(pane).locator(`[data-testid=entry][data-name="${name}"]`);
    const { shown, needed } = await nameWidths(page, `[data-testid=${pane}] [data-testid=entry][data-name="${name}"] [data-testid=entry-name]`, chars);
    expect.soft(shown, `${pane}: the name shows at least ${chars} characters`).toBeGreaterThanOrEqual(needed);
    await expect(entry.locator('.entry-name')).toHaveAttribute('title', name);
    // a row's buttons show on hover, inside its pane
    await entry.hover();
    const paneRight = await rightOf(page.getByTestId(pane));
    for (const button of ['entry-rename', 'entry-delete'])
      expect.soft(await rightOf(entry.getByTestId(button)), button).toBeLessThanOrEqual(Math.min(paneRight, width));
  }
  for (const button of ['transfers-cancel-all', 'transfers-clear']) expect.soft(await rightOf(page.getByTestId(button)), button).toBeLessThanOrEqual(width);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `test/output/e2e/layout-files-${shot}.png` });
}

test('the tunnel dashboard and the file panes fit at 1024 and 1280 px', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await expect(page.getByTestId('tree')).toBeVisible();
  const { client, close } = await contract();
  let hostId: string | undefined;
  try {
    // the password goes to the vault, which the page is asked to unlock: the page answers while the test waits on it
    const making = client.call('hosts.create', {
      name: HOST,
      hostname: '127.0.0.1',
      port: sshd.port,
      user: TEST_USER,
      auth: 'password',
      password: TEST_PASSWORD,
      groupId: null,
    });
    const hostRow = page.locator(`[data-testid=host-row]:not([data-section])[data-name="${HOST}"]`);
    await expect(hostRow).toBeVisible();
    hostId = (await making).id;
    for (const t of TUNNELS) {
      const bindPort = t.kind === 'remote' ? 0 : (await client.call('tunnels.freePort', { bindAddress: '127.0.0.1' })).port;
      const dest = t.kind === 'dynamic' ? {} : { destHost: '127.0.0.1', destPort: 5432 };
      await client.call('tunnels.create', { name: t.name, hostId, kind: t.kind, bindPort, ...dest });
    }
    await page.getByTestId('view-tunnels').click();
    const grafana = page.locator(`[data-testid=tunnel-row][data-name="${TUNNELS[1].name}"]`);
    await grafana.getByTestId('tunnel-switch').click();
    await expect(grafana).toHaveAttribute('data-state', 'up');

    await rowAction(hostRow, 'row-sftp');
    for (const [pane, path] of [
      ['pane-local', `${dir}/local`],
      ['pane-remote', `${dir}/remote`],
    ] as const) {
      const p = page.getByTestId(pane);
      await expect(p).toHaveAttribute('data-path', /./, { timeout: 20_000 });
      await p.getByTestId('path').fill(path);
      await p.getByTestId('path').press('Enter');
      await expect(p).toHaveAttribute('data-path', path);
    }
    // a transfer in the queue: the local "bin" to the host
    const bin = page.getByTestId('pane-local').locator('[data-testid=entry][data-name=bin]');
    await bin.hover();
    await bin.getByTestId('entry-transfer').click();
    await expect(page.locator('[data-testid=transfer][data-name=bin]')).toHaveAttribute('data-state', 'done');

    await checkTunnels(page, 1024, '1024', 16);
    await checkFiles(page, 1024, '1024', 20);
    await page.setViewportSize({ width: 1280, height: 800 });
    await checkTunnels(page, 1280, '1280', 16);
    await checkFiles(page, 1280, '1280', 20);

    // the host tree dragged to its widest (640 px) at 1024: less of a name shows, but still nothing scrolls sideways
    await page.setViewportSize({ width: 1024, height: 700 });
    const edge = (await page.getByTestId('sidebar-resize').boundingBox())!;
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(700, edge.y + edge.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await page.getByTestId('sidebar').boundingBox())?.width).toBe(640);
    await checkTunnels(page, 1024, '1024-wide-sidebar', 12);
    await checkFiles(page, 1024, '1024-wide-sidebar', 12);
  } finally {
    if (hostId !== undefined) await client.call('items.delete', { hostIds: [hostId], groupIds: [] }).catch(() => undefined);
    close();
  }
});
