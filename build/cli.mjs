// The `warren` command as bundled ES modules, dist/cli/warren.mjs (run by bin/warren.js) and the chunks it
// imports lazily, so that it starts without compiling TypeScript: `npm install` builds it (postinstall),
// `npm run build:cli` again. Warren's code and its pure-JavaScript dependencies are bundled (a few files
// load far faster than hundreds); native modules (ssh2's optional binding, the keyring, node-pty) and electron stay
// external. Code splitting keeps each command's imports out of the others' way: the entry holds only the
// command table and exec's connection reuse, and `warren ls` loads neither ssh2, the keychain nor zod.
import { rm } from 'node:fs/promises';
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

// chunks are named by their content: the old ones go, so the folder holds one build
await rm(at('../dist/cli'), { recursive: true, force: true });
await build({
  entryPoints: { warren: at('../electron/cli.ts') },
  outdir: at('../dist/cli'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'node20',
  external: ['ssh2', 'cpu-features', '@napi-rs/keyring', '@lydell/node-pty', 'electron'],
  // bundled CommonJS dependencies call require(): give the module one
  banner: { js: "import { createRequire as warrenCreateRequire } from 'node:module'; const require = warrenCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
