import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const NO_BINARY = 'Electron binary not installed on this machine (it cannot be downloaded here); browser-mode e2e covers the same UI';

/**
 * The Electron executable, found the way electron 45's own index.js finds it, or null. Electron ≥ 42
 * installs lazily: `require('electron')` would try to download the binary, so it is not called here.
 */
export function electronBinary(): string | null {
  const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, name || 'electron') : name ? path.join(dir, 'dist', name) : null;
  return binary && existsSync(binary) ? binary : null;
}
