/**
 * The renderer's Content-Security-Policy, sent as a response header by the desktop app's protocol and
 * by browser mode's server. renderer/index.html carries the same policy in a meta tag (minus
 * frame-ancestors, which a meta tag cannot set); test/security/check.ts keeps the two in step.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The policy while developing (`npm run dev`, `npm run dev:web` only, never a built renderer): Vite's
 * dev server puts React's hot-reload preamble in an inline script, which `script-src 'self'` forbids.
 */
export const devPolicy = (policy: string) => policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
