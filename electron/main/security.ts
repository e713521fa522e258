import { session, type WebContents } from 'electron';
import { openExternal } from '../platform/shell.js';
import { CSP } from '../../shared/csp.js';

/** The terminal's copy and paste (Ctrl+Shift+C / V) need the clipboard; nothing else is ever granted. */
const CLIPBOARD = new Set(['clipboard-read', 'clipboard-sanitized-write']);

/** The default session: no permission but the clipboard for our own page, and every response carries the CSP. */
export function hardenSession(isAppUrl: (url: string) => boolean, csp: string = CSP): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((contents, permission, callback) => callback(CLIPBOARD.has(permission) && isAppUrl(contents.getURL())));
  s.setPermissionCheckHandler((_contents, permission, origin) => CLIPBOARD.has(permission) && isAppUrl(origin));
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

/**
 * For every webContents the app ever creates: it stays on its page, opens no windows (https links go
 * to the user's browser) and attaches no <webview>.
 */
export function guardWebContents(contents: WebContents): void {
  const stay = (event: { url: string; preventDefault(): void }) => {
    if (event.url === contents.getURL()) return;
    event.preventDefault();
    console.warn(`warren: blocked navigation to ${event.url}`);
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url).catch((e: unknown) => console.warn(`warren: could not open ${url}: ${String(e)}`));
    return { action: 'deny' };
  });
}
