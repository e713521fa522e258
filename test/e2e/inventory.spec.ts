// The host inventory as a user works it: find hosts by tag, group and name (best first), move through the results
// with the arrow keys and connect with Enter, recents and favourites on top, the labelled context menu (mouse and
// keyboard), and a multi-selection moved and tagged in one go. The inventory is made through the contract's bulk
// call, as a script or an import would; everything else through the UI, against the real sshd.
import { expect, test, type Page } from '@playwright/test';
import { TEST_PASSWORD, TEST_USER } from '../harness/ssh.js';
import { acceptHostKeys, answerVault, appUrl, contract, rowAction } from './app.js';

const sshd = JSON.parse(process.env.WARREN_E2E_SSHD ?? '{}') as { port: number };

const treeRow = (page: Page, name: string) => page.locator(`[data-testid=host-row]:not([data-section])[data-name="${name}"]`);
const shownHosts = async (page: Page) =>
  Promise.all((await page.locator('[data-testid=tree] [data-testid=host-row]').all()).map((r) => r.getAttribute('data-name')));

test('find by tag, group and name; arrows and Enter connect; recents, favourites, menus and a bulk move', async ({ page }) => {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await expect(page.getByTestId('tree')).toBeVisible();
  const { client, close } = await contract();
  const ids: string[] = [];
  const groups: string[] = [];
  try {
    const prod = await client.call('groups.create', { name: 'inv-prod', parentId: null, defaults: {} });
    const data = await client.call('groups.create', { name: 'inv-data', parentId: prod.id, defaults: {} });
    const staging = await client.call('groups.create', { name: 'inv-staging', parentId: null, defaults: {} });
    groups.push(prod.id, staging.id);
    // the password goes to the vault, which the page is asked to unlock: the page answers while the test waits on it
    const making = client.call('hosts.createMany', {
      hosts: [
        { name: 'inv-box', hostname: '127.0.0.1', port: sshd.port, user: TEST_USER, auth: 'password', password: TEST_PASSWORD, groupId: null },
        { name: 'inv-web-1', hostname: 'web1.inv.example', groupId: prod.id },
        { name: 'inv-web-2', hostname: 'web2.inv.example', groupId: prod.id, tags: ['pg'] },
        { name: 'inv-db', hostname: 'db.inv.example', groupId: data.id, tags: ['pg', 'backup'] },
        // enough hosts that the tree is longer than the window
        ...Array.from({ length: 60 }, (_, i) => ({ name: `pad-${String(i).padStart(2, '0')}`, hostname: 'pad.inv.example', groupId: null })),
      ],
    });
    await expect(treeRow(page, 'inv-db')).toBeVisible();
    ids.push(...(await making).ids);

    // #tag finds by tag only; a group's name finds the hosts in it, then those of its subgroups; each result says where it lives
    const filter = page.getByTestId('tree-filter');
    await filter.fill('#pg');
    await expect.poll(() => shownHosts(page)).toEqual(['inv-db', 'inv-web-2']);
    await expect(page.getByTestId('tree-results')).toHaveText(/^2 matches/);
    await expect(page.locator('[data-testid=host-row][data-name=inv-db] .row-detail')).toHaveText('inv-prod / inv-data');
    await filter.fill('inv-prod');
    await expect.poll(() => shownHosts(page)).toEqual(['inv-web-1', 'inv-web-2', 'inv-db']);

    // best first: the name that holds the query whole, then those that hold its letters in order, closest first
    // (the other specs' hosts may match too: only this spec's are compared)
    await filter.fill('inv-b');
    await expect.poll(async () => (await shownHosts(page)).filter((n) => n?.startsWith('inv-'))).toEqual(['inv-box', 'inv-db', 'inv-web-1', 'inv-web-2']);

    // arrows move through the results from the filter box, Enter connects to the chosen one
    await filter.fill('inv-');
    await expect.poll(async () => (await shownHosts(page)).length).toBe(4);
    const active = page.locator('[data-testid=tree] .tree-row.active');
    const shown = await shownHosts(page);
    await expect(active).toHaveAttribute('data-name', shown[0]!);
    await filter.press('ArrowDown');
    await expect(active).toHaveAttribute('data-name', shown[1]!);
    await filter.press('ArrowUp');
    await expect(active).toHaveAttribute('data-name', shown[0]!);
    for (let i = 0; i < shown.indexOf('inv-box'); i++) await filter.press('ArrowDown');
    await expect(active).toHaveAttribute('data-name', 'inv-box');
    await filter.press('Enter');
    const term = page.locator('[data-testid=terminal][data-active=true]');
    await expect(term).toBeVisible();
    await expect(term.locator('.xterm-rows')).toContainText('$', { timeout: 20_000 });
    await page.getByTestId('tab-close').click();

    // the host is now first under Recent, above the tree
    await filter.fill('');
    await expect(page.locator('[data-testid=host-row][data-section=recent]').first()).toHaveAttribute('data-name', 'inv-box');

    // the menu from the ⋯ button: labelled actions; "Add to favourites" pins the host to the top
    await rowAction(treeRow(page, 'inv-web-1'), 'row-favourite');
    await expect(page.locator('[data-testid=host-row][data-section=favourites][data-name=inv-web-1]')).toBeVisible();
    await expect(page.locator('[data-testid=tree-section][data-section=favourites]')).toHaveText(/Favourites/);

    // the same menu from the keyboard (Shift+F10 on the focused tree), Escape closes it
    await treeRow(page, 'inv-web-2').click();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByTestId('context-menu');
    await expect(menu).toBeVisible();
    await expect(menu.getByRole('menuitem')).toContainText(['Connect', 'Open files (SFTP)']);
    await expect(menu.locator('[role=menuitem]:focus')).toHaveText(/Connect/);
    await page.keyboard.press('ArrowDown');
    await expect(menu.locator('[role=menuitem]:focus')).toHaveText(/Open files/);
    await page.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);

    // Ctrl-click selects a second host; the bulk bar moves both into another group in one go
    await treeRow(page, 'inv-web-1').click({ modifiers: ['Control'] });
    await expect(page.getByTestId('bulk-bar')).toContainText('2 selected');
    await page.getByTestId('bulk-move').click();
    const move = page.getByTestId('move-dialog');
    await move.locator('[name=parentId]').selectOption({ label: 'inv-staging' });
    await move.getByTestId('save').click();
    await expect(move).toHaveCount(0);
    await expect
      .poll(async () =>
        (await client.call('tree.get', {})).hosts
          .filter((h) => h.groupId === staging.id)
          .map((h) => h.name)
          .sort(),
      )
      .toEqual(['inv-web-1', 'inv-web-2']);

    // tag both through the bulk bar: each row then shows the tag
    await page.getByTestId('bulk-tag').click();
    const tags = page.getByTestId('tag-dialog');
    await tags.locator('[name=tags]').fill('canary');
    await tags.getByTestId('save').click();
    await expect(treeRow(page, 'inv-web-1').getByTestId('row-tag')).toHaveText(['canary']);
    await expect(treeRow(page, 'inv-web-2').getByTestId('row-tag')).toHaveText(['pg', 'canary']);
    await page.screenshot({ path: 'test/output/e2e/inventory-tree.png' });

    // a host saved in the editor that lands below the window is scrolled to and selected
    await page.getByTestId('new-host').click();
    const he = page.getByTestId('host-editor');
    await he.locator('[name=name]').fill('zz-inv-new');
    await he.locator('[name=hostname]').fill('new.inv.example');
    await he.getByTestId('save').click();
    await expect(treeRow(page, 'zz-inv-new')).toBeInViewport();
    await expect(treeRow(page, 'zz-inv-new')).toHaveAttribute('aria-selected', 'true');

    // a name with a direction override (from ssh_config, a script, a server) shows it as an escape, in the row and its tab
    const bidi = 'zz-inv-\u202etxt.exe';
    ids.push((await client.call('hosts.create', { name: bidi, hostname: '127.0.0.1', port: 1, groupId: null })).id);
    await expect(treeRow(page, bidi).locator('.row-name')).toHaveText('zz-inv-\\u202etxt.exe');
    await rowAction(treeRow(page, bidi), 'row-connect');
    await expect(page.locator('[data-testid=tab][data-active=true] .tab-title')).toHaveText('zz-inv-\\u202etxt.exe');
    await page.locator('[data-testid=tab][data-active=true]').getByTestId('tab-close').click();
  } finally {
    const made = (await client.call('tree.get', {}).catch(() => null))?.hosts.find((h) => h.name === 'zz-inv-new');
    if (made) ids.push(made.id);
    await client.call('items.delete', { hostIds: ids, groupIds: groups }).catch(() => undefined);
    close();
  }
});
