import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { electronBinary, NO_BINARY } from './binary.js';

/** Builds out/ once for the suite (the bundle check needs it even where the app cannot run). */
export default function globalSetup(): void {
  if (!electronBinary()) console.log(`\nElectron app tests skipped: ${NO_BINARY}\n`);
  execFileSync('npx', ['electron-vite', 'build'], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'ignore', 'inherit'] });
}
