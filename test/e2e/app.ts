// What the e2e specs share: the app's URL, the vault passphrase, a saved host made through the UI, and
// that host opened from its row, and a contract client of the same server (to set up what is not under test).
import { expect, type Locator, type Page } from '@playwright/test';
import type { RpcClient } from '../../shared/client.js';
import { DEFAULT_TERMINAL_SETTINGS, type TerminalSettings } from '../../shared/settings.js';
import { openWs, protocolsFor, wsClient } from '../harness/browser.js';
import { TEST_PASSWORD, TEST_USER } from '../harness/ssh.js';

/**
 * The browser-mode URL the global setup printed (`http://127.0.0.1:P/#token=…`) with `search` as its
 * query; by default xterm's DOM renderer (its text is readable).
 */
export function appUrl(search = '?renderer=dom'): string {
  const url = new URL(process.env.WARREN_E2E_URL!);
  url.search = search;
  return url.href;
}

/**
 * What the e2e servers start with, and what a spec that changed the terminal settings puts back: the
 * defaults, except that closing a live tab does not ask (the specs close tabs all the time;
 * close-confirm.spec turns it on and back off).
 */
export const E2E_TERMINAL_SETTINGS: TerminalSettings = { ...DEFAULT_TERMINAL_SETTINGS, confirmClose: false };

/** The contract over the server's WebSocket, as the page speaks it. */
export async function contract(): Promise<{ client: RpcClient; close(): void }> {
  const url = new URL(process.env.WARREN_E2E_URL!);
  const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
  const ws = await openWs(Number(url.port), protocolsFor(token), { Origin: url.origin });
  return { client: wsClient(ws), close: () => ws.close() };
}

/** every spec saves passwords in the one server's vault: the first to do so creates it with this */
export const VAULT_PASSPHRASE = 'e2e vault passphrase';

/** Answers the vault question whenever it comes (creating or unlocking it). */
export async function answerVault(page: Page): Promise<void> {
  await page.addLocatorHandler(page.locator('[data-testid=prompt][data-kind=vault]'), async (vault) => {
    for (const input of await vault.getByTestId('prompt-input').all()) await input.fill(VAULT_PASSPHRASE);
    await vault.getByTestId('prompt-accept').click();
  });
}

/** Trusts host keys when asked (for specs about something else than host keys). */
export async function acceptHostKeys(page: Page): Promise<void> {
  await page.addLocatorHandler(page.locator('[data-testid=prompt][data-kind=hostkey]'), (hostKey) => hostKey.getByTestId('prompt-accept').click());
}

/** A top-level host with a saved password, made in the host editor; resolves once it is in the tree. */
export async function createHost(page: Page, host: { name: string; port: number }): Promise<void> {
  await page.getByTestId('new-host').click();
  const he = page.getByTestId('host-editor');
  await he.locator('[name=name]').fill(host.name);
  await he.locator('[name=hostname]').fill('127.0.0.1');
  await he.locator('[name=port]').fill(String(host.port));
  await he.locator('[name=user]').fill(TEST_USER);
  await he.locator('[name=auth]').selectOption('password');
  await he.locator('[name=password]').fill(TEST_PASSWORD);
  await he.getByTestId('save').click();
  await expect(he).toHaveCount(0);
  await expect(page.locator(`[data-testid=host-row]:not([data-section])[data-name="${host.name}"]`)).toBeVisible();
}

/**
 * The app opened on a fresh page (vault and host-key questions answered), a host saved on `port`, and
 * opened from its row: a terminal (`row-connect`) or its files (`row-sftp`). Returns the row.
 */
export async function openHost(page: Page, host: { name: string; port: number }, action: 'row-connect' | 'row-sftp'): Promise<Locator> {
  await answerVault(page);
  await acceptHostKeys(page);
  await page.goto(appUrl());
  await createHost(page, host);
  const row = page.locator(`[data-testid=host-row]:not([data-section])[data-name="${host.name}"]`);
  await rowAction(row, action);
  return row;
}

/**
 * Runs a host or group row's action as a user does: Connect is the row's visible button; every other
 * action (`row-sftp`, `row-edit`, `row-delete`, …) is an item of the menu its ⋯ button opens.
 */
export async function rowAction(row: Locator, action: string): Promise<void> {
  await row.hover();
  if (action === 'row-connect') return row.getByTestId('row-connect').click();
  await row.getByTestId('row-menu').click();
  await row.page().getByTestId('context-menu').getByTestId(action).click();
}

/** the visible text of a terminal pane, one line per row (DOM renderer) */
export async function screenText(term: Locator): Promise<string> {
  return term.locator('.xterm-rows').innerText();
}

/** Clicks into the terminal, types `command` and Enter, and waits for `expected` on its screen. */
export async function runInTerminal(page: Page, term: Locator, command: string, expected: RegExp): Promise<RegExpMatchArray> {
  await term.click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  let match: RegExpMatchArray | null = null;
  await expect.poll(async () => (match = (await screenText(term)).match(expected)) !== null, { message: `${expected} on screen` }).toBe(true);
  return match!;
}
