import { defineConfig } from '@playwright/test';

// The desktop app under Playwright's _electron (app.spec.ts) and a check that the built main bundle
// links (bundle.spec.ts). One worker: each app test launches a whole Electron.
export default defineConfig({
  testDir: '.',
  globalSetup: './global-setup.ts',
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: '../../test-results/electron',
});
