// Imported first by main.tsx, so it runs before any module builds a zod schema. zod probes whether it
// may compile parsers with `new Function`; the CSP (script-src 'self', no 'unsafe-eval') refuses, and
// although zod catches the throw, Chromium still reports a CSP violation on every load. Jitless, zod
// never probes. Only the renderer: the main process has no CSP and keeps zod's faster compiled parsers.
import { z } from 'zod';

z.config({ jitless: true });
