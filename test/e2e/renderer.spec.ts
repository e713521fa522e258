// The terminal's renderer as the page reports it (data-renderer) is the one in use: WebGL on a real
// GPU, the DOM renderer where WebGL runs in software (it froze the UI under a flood) or is missing,
// and whatever ?renderer= forces.
import { expect, test, type Page } from '@playwright/test';
import { appUrl } from './app.js';

/** what this browser's WebGL runs on, asked the way the terminal asks; null without WebGL2 (a string: this tsconfig has no DOM types) */
const glRenderer = (page: Page) =>
  page.evaluate<string | null>(`(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
    return gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : null;
  })()`);

async function rendererWith(page: Page, query: string): Promise<string | null> {
  await page.goto(appUrl(query));
  await page.getByTestId('quick-connect').fill('nobody@127.0.0.1:1');
  await page.getByTestId('quick-connect').press('Enter');
  await expect(page.getByTestId('connect-error')).toBeVisible();
  return page.getByTestId('terminal').getAttribute('data-renderer');
}

test('software WebGL falls back to the DOM renderer; ?renderer= forces one', async ({ page }) => {
  await page.goto(appUrl(''));
  const gpu = await glRenderer(page);
  const software = gpu === null || /swiftshader|llvmpipe|softpipe|software|basic render driver/i.test(gpu);
  expect(await rendererWith(page, ''), `GL renderer: ${gpu}`).toBe(software ? 'dom' : 'webgl');
  expect(await rendererWith(page, '?renderer=webgl')).toBe(gpu === null ? 'dom' : 'webgl');
  expect(await rendererWith(page, '?renderer=dom')).toBe('dom');
});
