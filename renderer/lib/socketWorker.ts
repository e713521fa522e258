/**
 * Browser mode's WebSocket, held in a worker of its own. Chromium hands a page's WebSocket data to the
 * thread that owns the socket a little at a time (~64 KiB per turn of its event loop), so on the page's
 * own thread a terminal flood arrived only between xterm's parsing slices and its frames: 9 MB/s where
 * xterm itself parses 35. Here nothing else runs: frames are read as fast as they come and handed to
 * the page whole (their buffers transferred, not copied), where they queue up for xterm. The server's
 * flow control (each terminal's unacknowledged bytes) still bounds what is in flight.
 *
 * Page → worker: first `{ url, protocols }`, then each frame to send as an ArrayBuffer.
 * Worker → page: `'open'`, each frame received as an ArrayBuffer, then `{ code, reason }` once closed.
 */
export type ToSocket = { url: string; protocols: string[] } | ArrayBuffer;
export type FromSocket = 'open' | ArrayBuffer | { code: number; reason: string };

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToSocket>) => void) | null;
  postMessage(message: FromSocket, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

let ws: WebSocket | null = null;
scope.onmessage = ({ data }) => {
  if (data instanceof ArrayBuffer) {
    if (ws?.readyState === WebSocket.OPEN) ws.send(data);
    return;
  }
  if (ws) return; // one socket per worker
  try {
    ws = new WebSocket(data.url, data.protocols);
  } catch (e) {
    // a token with characters a subprotocol cannot hold
    scope.postMessage({ code: 1002, reason: (e as Error).message });
    return;
  }
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => scope.postMessage('open');
  ws.onmessage = (e: MessageEvent) => {
    if (e.data instanceof ArrayBuffer) scope.postMessage(e.data, [e.data]);
  };
  ws.onclose = (e) => scope.postMessage({ code: e.code, reason: e.reason });
};
