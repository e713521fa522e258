import { net, protocol } from 'electron';
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CSP } from '../../shared/csp.js';

/**
 * The renderer is served from app://warren/ rather than file://: a file:// page may read any local
 * file and has no origin of its own, while app://warren is one origin that 'self', the IPC sender
 * check and the navigation guard can name exactly.
 */
const SCHEME = 'app';
const HOST = 'warren';
export const APP_URL = `${SCHEME}://${HOST}/index.html`;

/** Before `ready`: a standard, secure scheme gets an origin, module scripts and fetch like https. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function isAppUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol: scheme, host } = new URL(url);
  return scheme === `${SCHEME}:` && host === HOST;
}

/** Serves the files under `root` (the built renderer), and nothing outside it, with the CSP header. */
export function serveRenderer(root: string): void {
  const notFound = () => new Response('not found', { status: 404 });
  protocol.handle(SCHEME, async (request) => {
    try {
      const url = new URL(request.url);
      const file = resolve(root, `.${decodeURIComponent(url.pathname)}`);
      if (url.host !== HOST || !file.startsWith(root + sep)) return notFound();
      const response = await net.fetch(pathToFileURL(file).href);
      const headers = new Headers(response.headers);
      headers.set('Content-Security-Policy', CSP);
      return new Response(response.body, { status: response.status, headers });
    } catch {
      return notFound(); // a missing file or a malformed path
    }
  });
}
