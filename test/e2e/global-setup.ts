import { spawn } from 'node:child_process';
import { seedTerminalSettings } from '../harness/browser.js';
import { cleanupAll, ensureTestUser, startSshd, tempDir } from '../harness/ssh.js';
import { E2E_TERMINAL_SETTINGS } from './app.js';

/**
 * Starts a real sshd and Warren's browser-mode server (exactly as `npm run serve` does), and hands
 * their coordinates to the tests through the environment.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await ensureTestUser();
  const sshd = await startSshd();
  const dataDir = await tempDir('warren-e2e-data-');
  // the specs close live tabs without the "close live sessions?" question (E2E_TERMINAL_SETTINGS)
  await seedTerminalSettings(dataDir, E2E_TERMINAL_SETTINGS);
  // --no-restore: each spec's fresh page starts with no tabs, not the last spec's (workspace.spec runs its own server)
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/browser-mode.ts', '--port', '0', '--data-dir', dataDir, '--secrets', 'vault', '--no-restore'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SSH_AUTH_SOCK: '' },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.once('exit', (code) => reject(new Error(`warren server exited with ${code} before printing its URL`)));
  });
  process.env.WARREN_E2E_URL = url;
  process.env.WARREN_E2E_DATA_DIR = dataDir;
  process.env.WARREN_E2E_SSHD = JSON.stringify({ port: sshd.port, logFile: sshd.logFile, hostKeys: sshd.hostKeys });
  return async () => {
    server.kill('SIGTERM');
    await cleanupAll();
  };
}
