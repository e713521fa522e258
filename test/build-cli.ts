// Vitest global setup for the integration project: the CLI tests run `bin/warren.js` as a user does, which
// loads the bundle (dist/cli/warren.mjs); it is rebuilt first, so the tests run the code as it is now.
import { execFileSync } from 'node:child_process';

export function setup(): void {
  execFileSync(process.execPath, ['build/cli.mjs'], { stdio: 'inherit' });
}
