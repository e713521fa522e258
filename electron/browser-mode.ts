import './tune-gc.js';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serveWeb } from './rpc/web.js';
import { createServices } from './services.js';
import { openNodeConf } from './store/settings.js';

/**
 * Browser mode: the same services as the desktop app, behind the WebSocket transport, on 127.0.0.1.
 *   npm run serve -- [--port P] [--data-dir DIR] [--secrets auto|vault] [--no-restore] [--no-local-shell]
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string', default: path.join(process.env.XDG_CONFIG_HOME ?? path.join(homedir(), '.config'), 'warren') },
      secrets: { type: 'string', default: 'auto' },
      /** start without bringing back the saved terminal tabs, and leave them as they are */
      'no-restore': { type: 'boolean', default: false },
      /** refuse local shell tabs (a shell on this machine, for whoever holds the page's token) */
      'no-local-shell': { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0 picks a free one), not "${values.port}"`);
  if (values.secrets !== 'auto' && values.secrets !== 'vault') throw new Error('--secrets is auto or vault');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { version: string };
  // `npm run dev:web` keeps one token across the restarts of this server, so an open page reconnects
  const token = process.env.WARREN_TOKEN ?? randomBytes(24).toString('base64url');
  if (!/^[A-Za-z0-9_-]{32,}$/.test(token)) throw new Error('WARREN_TOKEN must be at least 32 characters of A-Z, a-z, 0-9, _ and -');

  const services = await createServices({
    dataDir: path.resolve(values['data-dir']),
    mode: 'browser',
    secrets: values.secrets,
    version: pkg.version,
    openConf: openNodeConf,
    restoreWorkspace: !values['no-restore'],
    localShell: !values['no-local-shell'],
  });
  for (const n of services.notices) console.error(`warren: ${n.level}: ${n.message}`);
  await services.serveReuse();
  const server = await serveWeb({
    handlers: services.handlers,
    downloads: services.downloads,
    staticDir: path.join(root, 'dist', 'renderer'),
    port,
    token,
    log: (line) => console.error(`warren: ${line}`),
  });
  keepServing((line) => console.error(`warren: ${line}`));
  console.log(`Warren browser mode: ${server.url}`);
  console.error(`warren: data in ${path.resolve(values['data-dir'])}; secrets: ${services.secrets.detail}`);

  const stop = async () => {
    await server.close();
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/**
 * The last resort, once Warren is serving: an error that reached the event loop is a bug, but dying
 * of it would end every terminal, tunnel and transfer the server holds. It is logged in one line
 * (its message and where it was thrown) and the server goes on.
 */
function keepServing(log: (line: string) => void): void {
  const oneLine = (e: unknown) =>
    (e instanceof Error ? (e.stack ?? e.message) : String(e))
      .split('\n')
      .slice(0, 2)
      .map((l) => l.trim())
      .join(' ');
  process.on('uncaughtException', (e) => log(`unexpected error, still serving: ${oneLine(e)}`));
  process.on('unhandledRejection', (e) => log(`unexpected rejection, still serving: ${oneLine(e)}`));
}

main().catch((e: unknown) => {
  console.error(`warren: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
