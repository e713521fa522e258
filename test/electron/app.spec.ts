import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { electronBinary, NO_BINARY } from './binary.js';

// The desktop app itself: the same UI as the browser-mode e2e, plus the shell's security promises.
// This file's tsconfig has no DOM types: page code reaches the window through globalThis.
type PageGlobals = Record<string, unknown> & {
  location: { href: string };
  open(url: string): unknown;
  document: { createElement(tag: 'script'): { textContent: string }; body: { append(node: unknown): void } };
};

const root = path.resolve(import.meta.dirname, '../..');
const executablePath = electronBinary();

test.describe('Warren desktop app', () => {
  test.skip(!executablePath, NO_BINARY);
  test.skip(process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY, 'no display: run the suite under xvfb-run -a');

  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  test.beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'warren-electron-'));
    app = await electron.launch({
      executablePath: executablePath ?? undefined,
      args: [root],
      env: { ...(process.env as Record<string, string>), WARREN_DATA_DIR: dataDir },
    });
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('shows the host tree', async () => {
    await expect(page.getByTestId('tree')).toBeVisible();
  });

  test('the page gets the desktop flag, pathForFile, and nothing of Node', async () => {
    const surface = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      const d = g.warrenDesktop as Record<string, unknown>;
      return {
        keys: Object.keys(d).sort(),
        desktop: d.desktop,
        pathForFile: typeof d.pathForFile,
        require: typeof g.require,
        process: typeof g.process,
        module: typeof g.module,
      };
    });
    expect(surface).toEqual({
      keys: ['desktop', 'pathForFile'],
      desktop: true,
      pathForFile: 'function',
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
    });
  });

  test('pathForFile is webUtils.getPathForFile: a File made in the page has no path, so its drop streams through the File API', async () => {
    const result = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals & { File: new (parts: string[], name: string) => unknown };
      const d = g.warrenDesktop as { pathForFile(file: unknown): string };
      let notAFile = '';
      try {
        d.pathForFile({ name: 'x' });
      } catch (e) {
        notAFile = String(e);
      }
      return { path: d.pathForFile(new g.File(['x'], 'made-in-js.txt')), notAFile: notAFile !== '' };
    });
    expect(result).toEqual({ path: '', notAFile: true });
  });

  test('navigation to another origin is blocked', async () => {
    const url = page.url();
    expect(url).toBe('app://warren/index.html');
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).location.href = 'https://example.invalid/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(url);
    await expect(page.getByTestId('tree')).toBeVisible();
  });

  test('no new windows; an http: link is not handed to the OS either', async () => {
    const opened = await page.evaluate(() => (globalThis as unknown as PageGlobals).open('http://example.invalid/'));
    expect(opened).toBeNull();
    expect(app.windows()).toHaveLength(1);
  });

  test('the CSP stops an injected inline script', async () => {
    const ran = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      const script = g.document.createElement('script');
      script.textContent = 'globalThis.injected = true';
      g.document.body.append(script);
      return g.injected === true;
    });
    expect(ran).toBe(false);
  });
});
