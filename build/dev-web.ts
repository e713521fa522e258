// `npm run dev:web`: the renderer from Vite's dev server (hot reload) and browser mode's server, restarted by
// `tsx watch` whenever main-process code changes, on one URL. Vite forwards /rpc (the contract's WebSocket)
// to the server, presenting it the server's own Host and Origin, so the server's checks stay as they are.
//   npm run dev:web -- [--data-dir DIR]      (default: a data dir of its own, not your real one)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServer } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { 'data-dir': { type: 'string', default: path.join(homedir(), '.config', 'warren-dev') } } });

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

const token = randomBytes(24).toString('base64url');
const serverPort = await freePort();
const backend = `127.0.0.1:${serverPort}`;

// the same token across restarts, so the page keeps its session storage and reconnects with a reload
const server = spawn(
  path.join(ROOT, 'node_modules/.bin/tsx'),
  ['watch', '--clear-screen=false', 'electron/browser-mode.ts', '--port', String(serverPort), '--data-dir', path.resolve(values['data-dir'])],
  {
    cwd: ROOT,
    env: { ...process.env, WARREN_TOKEN: token },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);

const vite = await createServer({
  configFile: path.join(ROOT, 'build/vite.web.config.ts'),
  server: {
    host: '127.0.0.1',
    strictPort: false,
    proxy: { '/rpc': { target: `http://${backend}`, ws: true, changeOrigin: true, headers: { origin: `http://${backend}` } } },
  },
});
await vite.listen();
const url = vite.resolvedUrls?.local[0] ?? `http://127.0.0.1:${vite.config.server.port}/`;
console.log(`Warren dev (hot reload): ${url}#token=${token}`);
console.error(`warren-dev: renderer from Vite, server on ${backend} (restarts on change), data in ${path.resolve(values['data-dir'])}`);

const stop = async () => {
  server.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
server.on('exit', (code, signal) => {
  if (signal !== 'SIGTERM') console.error(`warren-dev: the server exited (${signal ?? code}); fix the error and save to restart it`);
});
