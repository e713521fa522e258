// Warren as a user runs it in browser mode: its server (exactly as `npm run serve` starts it) and its UI in Chromium,
// driven through the data-testid hooks the e2e suite uses, plus `window.__bench` (inpage.js) to read the screen.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { TEST_USER, type Sshd } from '../harness/ssh.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export type RendererMode = 'dom' | 'webgl';

export interface WarrenServer {
  url: string;
  /** resident set size of the server process, bytes */
  rss(): number;
  stop(): Promise<void>;
}

/** servers still running: killed on any exit, a failed or interrupted run included */
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((c) => c.kill('SIGKILL')));

export async function startServer(dataDir: string): Promise<WarrenServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/browser-mode.ts', '--port', '0', '--data-dir', dataDir, '--secrets', 'vault'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SSH_AUTH_SOCK: '' },
    },
  );
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (live.delete(child), resolve())));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`warren server exited before printing its URL:\n${log}`)));
  });
  return {
    url,
    rss: () => {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface App {
  browser: Browser;
  page: Page;
  cdp: CDPSession;
}

/** Debian's Chromium, with software WebGL (SwiftShader) for the webgl mode and no GPU for the DOM one */
export function launchChromium(mode: RendererMode): Promise<Browser> {
  const gpu = mode === 'webgl' ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--disable-gpu'];
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...gpu] });
}

export async function openApp(server: WarrenServer, mode: RendererMode): Promise<App> {
  const browser = await launchChromium(mode);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({ path: fileURLToPath(new URL('inpage.js', import.meta.url)) });
    // WebGL is forced: on software GL (SwiftShader here) the app would otherwise pick the DOM renderer
    await page.goto(server.url.replace('/#', `/?renderer=${mode}#`));
    await page.getByTestId('tree').waitFor();
    return { browser, page, cdp: await page.context().newCDPSession(page) };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** a JavaScript expression evaluated in the page (strings, not functions: tsx's transforms must not leak into the page) */
export const js = <T>(page: Page, expr: string) => page.evaluate(expr) as Promise<T>;
const str = JSON.stringify;

type Check = 'has' | 'lacks' | 'tabActive';
/** poll a `__bench` check every 5 ms until true (a function, not a string: the app's CSP forbids the eval string predicates need) */
export async function until(page: Page, check: Check, arg: string | number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    ([c, a]) => (globalThis as unknown as { __bench: Record<Check, (a: string | number) => boolean> }).__bench[c](a),
    [check, arg] as const,
    { polling: 5, timeout },
  );
}

/** Create the host (key auth) unless it exists, open a terminal tab on it, trust the host key if asked; resolves at the shell prompt. */
export async function openTab(page: Page, sshd: Sshd, keyPath: string): Promise<void> {
  const row = page.locator('[data-testid=host-row]:not([data-section])[data-name=bench]');
  if ((await row.count()) === 0) {
    await page.getByTestId('new-host').click();
    const he = page.getByTestId('host-editor');
    await he.locator('[name=name]').fill('bench');
    await he.locator('[name=hostname]').fill(sshd.host);
    await he.locator('[name=port]').fill(String(sshd.port));
    await he.locator('[name=user]').fill(TEST_USER);
    await he.locator('[name=auth]').selectOption('key');
    await he.locator('[name=identityFile]').fill(keyPath);
    await he.getByTestId('save').click();
    await row.waitFor();
  }
  const tabs = await page.getByTestId('tab').count();
  await row.hover();
  await row.getByTestId('row-connect').click();
  const hostKey = page.locator('[data-testid=prompt][data-kind=hostkey]');
  const opened = page.locator('[data-testid=terminal][data-active=true][data-session-id]');
  await hostKey.or(opened).first().waitFor({ timeout: 30_000 });
  if (await hostKey.isVisible()) await hostKey.getByTestId('prompt-accept').click();
  await opened.waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=tab][data-state=open]').nth(tabs).waitFor();
  await until(page, 'has', '$ ');
}

/** type a command line and wait until it is echoed (so Enter alone is timed) */
export async function typeLine(page: Page, line: string): Promise<void> {
  await page.locator('[data-testid=terminal][data-active=true]').click();
  await page.keyboard.type(line);
  await until(page, 'has', `$ ${line}`);
}

/** Click a tab as a user would (raw mouse, no actionability round trips into a busy page); ms until it is the active one. */
export async function activateTab(page: Page, index: number): Promise<number> {
  const box = (await page.getByTestId('tab').nth(index).boundingBox())!;
  const start = performance.now();
  await page.mouse.click(box.x + box.width / 3, box.y + box.height / 2);
  await until(page, 'tabActive', index);
  const ms = performance.now() - start;
  await page.locator('[data-testid=terminal][data-active=true]').click();
  return ms;
}

/** Samples the renderer's JS heap (CDP) and the server's RSS until stopped; returns the maxima in bytes. */
export function sampleMemory(cdp: CDPSession, server: WarrenServer, everyMs = 200): { stop(): Promise<{ heap: number; rss: number }> } {
  let heap = 0;
  let rss = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      rss = Math.max(rss, server.rss());
      const usage = (await cdp.send('Runtime.getHeapUsage').catch(() => ({ usedSize: 0 }))) as { usedSize: number };
      heap = Math.max(heap, usage.usedSize);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { heap, rss };
    },
  };
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

export const wallNow = () => performance.timeOrigin + performance.now();

/** One keystroke, ms: from `keyboard.press` to on screen; and the page's view of it, from its keydown event. */
export interface KeySample {
  total: number;
  fromKeydown: number;
  /** keydown → the page's last WebSocket send before the echo showed (the input, when no flood sends acks meanwhile) */
  send: number;
  /** that send → the page's last WebSocket message before the echo showed (the echo, when idle) */
  echo: number;
  /** that message → on screen */
  draw: number;
}

/** `n` single letters typed at the active tab's shell prompt (remote echo), each timed until it is on screen. */
export async function keystrokeLatencies(page: Page, n: number): Promise<KeySample[]> {
  const samples: KeySample[] = [];
  while (samples.length < n) {
    const word = Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
    for (let i = 1; i <= word.length && samples.length < n; i++) {
      await js(page, `__bench.watch(${str(`$ ${word.slice(0, i)}`)})`);
      const t0 = wallNow();
      await page.keyboard.press(word[i - 1]!);
      const w = await withTimeout(
        js<{ keydown: number; sent: number; received: number; shown: number }>(page, '__bench.watched()'),
        30_000,
        `keystroke "${word[i - 1]}" echoed`,
      );
      samples.push({ total: w.shown - t0, fromKeydown: w.shown - w.keydown, send: w.sent - w.keydown, echo: w.received - w.sent, draw: w.shown - w.received });
    }
    await page.keyboard.press('Control+U');
    await until(page, 'lacks', `$ ${word[0]}`);
  }
  return samples;
}
