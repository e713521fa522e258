// The `warren` command as one bundled ES module, dist/cli/warren.mjs (run by bin/warren.js), so that it
// starts without compiling TypeScript: `npm install` builds it (postinstall), `npm run build:cli` again.
// Warren's code and its pure-JavaScript dependencies are bundled (one file loads far faster than
// hundreds); native modules (ssh2's optional binding, the keyring) and electron stay external.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const at = (p) => fileURLToPath(new URL(p, import.meta.url));

await build({
  entryPoints: { warren: at('../electron/cli.ts') },
  outdir: at('../dist/cli'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['ssh2', 'cpu-features', '@napi-rs/keyring', 'electron'],
  // bundled CommonJS dependencies call require(): give the module one
  banner: { js: "import { createRequire as warrenCreateRequire } from 'node:module'; const require = warrenCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
