import { MessageChannelMain, type BrowserWindow, type IpcMainEvent } from 'electron';
import { createPeer, type Handlers } from './peer.js';

/**
 * The Electron transport: when the window's preload says 'warren:hello', it gets one end of a fresh
 * MessageChannel and the contract is served on the other. Only the main frame of this window, showing
 * our own page (`isAppUrl`), gets a port. A reload, a crash or a navigation ends the peer, which stops
 * every stream it held; the reloaded page says hello again and gets a new one.
 */
export function serveElectron(handlers: Handlers, win: BrowserWindow, isAppUrl: (url: string) => boolean): void {
  const contents = win.webContents;
  let end: (() => void) | undefined; // ends the current peer
  const drop = () => end?.();

  const hello = (event: IpcMainEvent) => {
    const frame = event.senderFrame; // contents.ipc only hears this window: a top frame here is its main frame
    if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
      console.warn(`warren: ignored a transport request from ${frame ? `a frame at ${frame.url}` : 'a frame that is gone'}`);
      return;
    }
    drop();
    const { port1, port2 } = new MessageChannelMain();
    const peer = createPeer(handlers, (m) => port1.postMessage(m), {
      onProtocolError: (message) => console.warn(`warren: ${message}`),
    });
    let ended = false;
    const endThis = () => {
      if (ended) return;
      ended = true;
      if (end === endThis) end = undefined;
      peer.close();
      port1.close();
    };
    end = endThis;
    port1.on('message', (e) => peer.receive(e.data));
    port1.on('close', endThis); // the renderer's end went away
    port1.start();
    event.sender.postMessage('warren:port', null, [port2]);
  };

  contents.ipc.on('warren:hello', hello);
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) drop();
  });
  contents.on('render-process-gone', drop);
  contents.once('destroyed', () => {
    drop();
    contents.ipc.removeListener('warren:hello', hello);
  });
}
