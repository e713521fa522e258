import type { ClientTransport } from '../../shared/client.js';
import { decodeFrame, encodeFrame, WS_PROTOCOL, WS_TOKEN_PREFIX, type ClientMessage, type ServerMessage } from '../../shared/wire.js';
import type { FromSocket, ToSocket } from './socketWorker.js';

declare global {
  interface Window {
    /** set by the desktop preload (electron/preload/index.ts); absent in browser mode */
    warrenDesktop?: {
      readonly desktop: true;
      /** where a File dropped from the OS lives on disk (Electron's webUtils.getPathForFile); '' for one made in JS */
      pathForFile?(file: File): string;
    };
  }
}

/**
 * The renderer's end of the contract: the MessagePort the desktop preload hands over, or else the
 * WebSocket of browser mode. Both carry the same messages; only the encoding differs.
 */
export function connectTransport(): Promise<ClientTransport> {
  return window.warrenDesktop ? electronTransport() : webSocketTransport();
}

function electronTransport(): Promise<ClientTransport> {
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent) => {
      // The preload posts the port from this same window; anything else is ignored.
      if (e.source !== window || e.data !== 'warren:port' || !e.ports[0]) return;
      window.removeEventListener('message', onMessage);
      const port = e.ports[0];
      const closeHandlers: ((reason: string) => void)[] = [];
      resolve({
        send: (m: ClientMessage) => port.postMessage(m),
        onMessage: (h) => {
          port.onmessage = (ev: MessageEvent) => h(ev.data as ServerMessage);
        },
        onClose: (h) => {
          closeHandlers.push(h);
        },
      });
      // the main process closed its end (it quit, or replaced this window's port): nothing more will come
      (port as EventTarget).addEventListener(
        'close',
        () => closeHandlers.forEach((h) => h("the connection to Warren's main process closed; reload the window (Ctrl+R) to reconnect")),
        { once: true },
      );
      port.start();
    };
    window.addEventListener('message', onMessage);
  });
}

const TOKEN_KEY = 'warren.token';

/**
 * Browser mode's access token arrives in the URL's fragment (`#token=…`), which a browser never sends
 * to a server. It moves to sessionStorage (this origin, port included, and this tab only: a reload
 * keeps working) and out of the address bar and the history entry. True when it is a new token.
 */
function takeTokenFromUrl(): boolean {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token === null) return false;
  history.replaceState(history.state, '', location.pathname + location.search);
  const fresh = token !== sessionStorage.getItem(TOKEN_KEY);
  sessionStorage.setItem(TOKEN_KEY, token);
  return fresh;
}

function webSocketTransport(): Promise<ClientTransport> {
  takeTokenFromUrl();
  // the printed URL pasted again into this tab only changes the fragment: take it, and reconnect if
  // it is a new server's token
  window.addEventListener('hashchange', () => {
    if (takeTokenFromUrl()) location.reload();
  });
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`;
  return new Promise((resolve, reject) => {
    // the socket lives in a worker (socketWorker.ts says why); the token travels as a subprotocol, in the
    // handshake's headers, never in a URL
    const worker = new Worker(new URL('./socketWorker.ts', import.meta.url), { type: 'module', name: 'warren-socket' });
    const post = (m: ToSocket) => (m instanceof ArrayBuffer ? worker.postMessage(m, [m]) : worker.postMessage(m));
    const closeHandlers: ((reason: string) => void)[] = [];
    let messageHandler: (m: ServerMessage) => void = () => {};
    let open = false;
    const closed = (code: number, why: string) => {
      open = false;
      worker.terminate();
      const reason = `the connection to Warren's server closed (${code}${why ? `: ${why}` : ''}); reload the page to reconnect`;
      closeHandlers.forEach((h) => h(reason));
      reject(new Error(reason));
    };
    worker.onmessage = ({ data }: MessageEvent<FromSocket>) => {
      if (data instanceof ArrayBuffer) messageHandler(decodeFrame(new Uint8Array(data)) as ServerMessage);
      else if (data === 'open') {
        open = true;
        resolve({
          send: (m) => {
            // a frame is a buffer of its own (encodeFrame makes one), so it is handed over, not copied
            if (open) post(encodeFrame(m).buffer as ArrayBuffer);
          },
          onMessage: (h) => {
            messageHandler = h;
          },
          onClose: (h) => {
            closeHandlers.push(h);
          },
        });
      } else closed(data.code, data.reason);
    };
    worker.onerror = (e) => closed(1006, `its worker failed: ${e.message}`);
    post({ url, protocols: [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`] });
  });
}
