#!/usr/bin/env node
// The `warren` command: the same services as the app, from a terminal (electron/cli.ts, bundled into
// dist/cli/warren.mjs by build/cli.mjs when npm installs the project, or by `npm run build:cli`).
try {
  await import('../dist/cli/warren.mjs');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist/cli/warren.mjs')) throw e;
  console.error('warren: the command is not built yet: run `npm install` (or `npm run build:cli`) in the Warren folder');
  process.exit(2);
}
