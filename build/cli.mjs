// The `warren` command as one bundled ES module, dist/cli/warren.mjs (run by bin/warren.js), so that it
// starts without compiling TypeScript: `npm install` builds it (postinstall), `npm run build:cli` again.
// Warren's code and its pure-JavaScript dependencies are bundled (one file loads far faster than
// hundreds); native modules (ssh2's optional binding, the keyring) and electron stay external.
import { fileURLToPath } from 'node:url';

// esbuild is a devDependency: an install without them (npm install --omit=dev) goes on without the
// command, and bin/warren.js says how to build it
const esbuild = await import('esbuild').catch(() => null);
if (!esbuild) {
  console.warn(
    'warren: esbuild is not installed (dev dependencies omitted): the `warren` command is not built; `npm install` then `npm run build:cli` builds it',
  );
  process.exit(0);
}
const { build } = esbuild;

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
