import { contextBridge, ipcRenderer, webUtils } from 'electron';

// This preload is bundled to one CommonJS file: a sandboxed preload can require only 'electron'.
// It exposes one flag and one function, and hands the page one MessagePort; nothing of ipcRenderer
// reaches the page. `pathForFile` tells the page where a file dropped from the OS lives on disk
// (Electron ≥ 32: webUtils replaced File.path), so a drop becomes an ordinary upload of local paths.
// (The project's Node tsconfig has no DOM types: these are the two DOM members used here.)
declare const window: {
  postMessage(message: string, targetOrigin: string, transfer: readonly unknown[]): void;
  addEventListener(type: 'DOMContentLoaded', listener: () => void, options: { once: true }): void;
};

contextBridge.exposeInMainWorld('warrenDesktop', {
  desktop: true,
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});

// The page's scripts listen for the port by the time DOMContentLoaded fires; posting earlier could
// reach no listener, so the port waits for that if it comes back first.
const domReady = new Promise<void>((resolve) => window.addEventListener('DOMContentLoaded', resolve, { once: true }));
ipcRenderer.once('warren:port', (event) => {
  void domReady.then(() => window.postMessage('warren:port', '*', event.ports));
});
ipcRenderer.send('warren:hello');
