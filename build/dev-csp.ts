import type { Plugin } from 'vite';
import { devPolicy } from '../shared/csp.js';

/**
 * The dev server only (`apply: 'serve'`): React's hot-reload preamble is an inline script, which the
 * renderer's CSP forbids, so in development the page's meta policy also allows inline scripts. Built
 * renderers (desktop and browser mode) keep the strict policy; test/security/check.ts checks the built one.
 */
export const devCsp = (): Plugin => ({
  name: 'warren-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) => devPolicy(html),
});
