// The reuse socket's wire format, shared by its two ends (mux.ts serves, mux-client.ts asks): Node's
// own modules only, so the CLI's side loads nothing more.
export const MUX_SOCKET = 'mux.sock';
/** the request line and the answer line, at most */
export const MAX_LINE = 64 * 1024;
/** a frame's payload, at most (ssh2's channel data comes in packets of 32 KiB) */
const MAX_FRAME = 1024 * 1024;

/** What `warren exec` asks the master (the server checks it with a schema: mux.ts). */
export interface MuxRequest {
  v: 1;
  op: 'exec';
  /** as given to `warren exec`: a saved host's name or [user@]host[:port], looked up as the CLI would */
  name: string;
  command: string;
  /** stdin is a terminal: the command gets none (as `warren exec` on its own does) */
  noStdin: boolean;
}

/** The master's answer, one JSON line: it runs the command on its connection, or the CLI connects itself. */
export type MuxAnswer = { ok: true; label: string } | { ok: false; why: string };

/** Frames after the answer: type (1 byte), payload length (4 bytes), payload. */
export const enum Frame {
  /** client → master: stdin; master → client: stdout */
  Data = 1,
  /** client → master: end of stdin; master → client: stderr */
  EofOrStderr = 2,
  /** master → client: how the command ended, JSON `{ code, signal, lost }` */
  Exit = 3,
}
export interface MuxExit {
  code: number | null;
  signal: string | null;
  /** the connection went away before the command's status came: what the layer said */
  lost: string | null;
}

export function frame(type: Frame, payload: Uint8Array): Buffer {
  const head = Buffer.allocUnsafe(5);
  head[0] = type;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/** Splits a byte stream into frames; a frame over MAX_FRAME is an error (the peer is not Warren). */
export function frames(onFrame: (type: number, payload: Buffer) => void, onBad: (why: string) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 5) {
      const length = pending.readUInt32BE(1);
      if (length > MAX_FRAME) return onBad(`a frame of ${length} bytes`);
      if (pending.length < 5 + length) return;
      const type = pending[0]!;
      const payload = pending.subarray(5, 5 + length);
      pending = pending.subarray(5 + length);
      onFrame(type, payload);
    }
  };
}
