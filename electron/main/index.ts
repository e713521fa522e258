import '../tune-gc.js';
import { app, BrowserWindow, dialog, Menu, powerMonitor } from 'electron';
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import { startDrag } from '../platform/drag.js';
import { serveElectron } from '../rpc/electron.js';
import type { Handlers } from '../rpc/peer.js';
import { createServices, type Services } from '../services.js';
import { appMenu } from './menu.js';
import { APP_URL, isAppUrl, registerAppScheme, serveRenderer } from './protocol.js';
import { guardWebContents, hardenSession } from './security.js';
import { CSP, devPolicy } from '../../shared/csp.js';

// The desktop shell: one instance, one window, the services of one data dir. WARREN_DATA_DIR points
// it at another data dir (the Electron e2e suite uses a temporary one).
if (process.env.WARREN_DATA_DIR) app.setPath('userData', process.env.WARREN_DATA_DIR);
app.enableSandbox();
registerAppScheme();
app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

if (!app.requestSingleInstanceLock()) app.quit();
else start().catch(fail);

/**
 * `npm run dev` (electron-vite dev): the renderer comes from Vite's dev server, with hot reload, and that
 * origin is ours as app://warren is. Never in a packaged app, whatever the environment says.
 */
const DEV_URL = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const isOurs = (url: string) => isAppUrl(url) || (DEV_URL !== undefined && URL.canParse(url) && new URL(url).origin === new URL(DEV_URL).origin);

/** the app's one window, while it is open: where drags out to the file manager start */
let mainWindow: BrowserWindow | undefined;

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(isOurs, DEV_URL === undefined ? CSP : devPolicy(CSP));
  serveRenderer(join(import.meta.dirname, '../renderer'));
  Menu.setApplicationMenu(appMenu(app.isPackaged));

  const services = await createServices({
    dataDir: app.getPath('userData'),
    mode: 'desktop',
    version: app.getVersion(),
    openConf: ({ cwd, configName, configFileMode }) => new ElectronStore({ cwd, name: configName, configFileMode, clearInvalidConfig: false }),
    startDrag: (files) => startDrag(mainWindow?.webContents, files),
  });
  for (const n of services.notices) console.error(`warren: ${n.level}: ${n.message}`);
  closeOnQuit(services);
  await services.serveReuse();
  // back from sleep: dropped connections are retried at once instead of at their next backoff step
  powerMonitor.on('resume', () => services.wake());
  powerMonitor.on('unlock-screen', () => services.wake());

  createWindow(services.handlers);
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(services.handlers);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

function createWindow(handlers: Handlers): void {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Warren',
    backgroundColor: '#16181d',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      preload: join(import.meta.dirname, '../preload/index.cjs'),
    },
  });
  serveElectron(handlers, win, isOurs);
  mainWindow = win;
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  // the page holds the close (beforeunload) while live sessions would end and "ask before closing" is on
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Close', 'Cancel'],
      defaultId: 0,
      cancelId: 1,
      message: 'Close Warren and its live sessions?',
      detail: 'The terminals still connected will be disconnected.',
    });
    if (choice === 0) event.preventDefault(); // preventDefault here lets the page go
  });
  win.loadURL(DEV_URL ?? APP_URL).catch((e: unknown) => console.error(`warren: could not load the window: ${String(e)}`));
}

/** Quitting waits for the services to close (sessions, tunnels, files) once, then quits for real. */
function closeOnQuit(services: Services): void {
  let closing: Promise<void> | undefined;
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closing ??= services
      .close()
      .catch((e: unknown) => console.error(`warren: closing the services failed: ${String(e)}`))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

function fail(e: unknown): void {
  dialog.showErrorBox('Warren could not start', e instanceof Error ? e.message : String(e));
  app.exit(1);
}
