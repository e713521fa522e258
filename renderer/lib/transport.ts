import type { ClientTransport } from '../../shared/client.js';
import { decodeFrame, encodeFrame, type ClientMessage, type ServerMessage } from '../../shared/wire.js';

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
      port.start();
    };
    window.addEventListener('message', onMessage);
  });
}

function webSocketTransport(): Promise<ClientTransport> {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  return new Promise((resolve, reject) => {
    const closeHandlers: ((reason: string) => void)[] = [];
    let messageHandler: (m: ServerMessage) => void = () => {};
    ws.onmessage = (e: MessageEvent) => {
      if (!(e.data instanceof ArrayBuffer)) return;
      messageHandler(decodeFrame(new Uint8Array(e.data)) as ServerMessage);
    };
    ws.onopen = () =>
      resolve({
        send: (m) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(encodeFrame(m));
        },
        onMessage: (h) => {
          messageHandler = h;
        },
        onClose: (h) => {
          closeHandlers.push(h);
        },
      });
    ws.onclose = (e) => {
      const reason = `the connection to Warren's server closed (${e.code}${e.reason ? `: ${e.reason}` : ''}); reload the page to reconnect`;
      closeHandlers.forEach((h) => h(reason));
      reject(new Error(reason));
    };
  });
}
