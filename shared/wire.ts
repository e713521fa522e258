import { z } from 'zod';
import { WireError } from './errors.js';

/**
 * The messages both transports carry. The Electron MessagePort sends them as structured clones
 * (Uint8Array included); the WebSocket sends them through `encodeFrame`/`decodeFrame`, which puts
 * every Uint8Array in the message into the binary tail of one frame instead of into JSON.
 */
export const ClientMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), method: z.string().max(100), input: z.unknown() }),
  z.object({ t: z.literal('sub'), id: z.number().int().nonnegative(), stream: z.string().max(100), params: z.unknown() }),
  z.object({ t: z.literal('unsub'), id: z.number().int().nonnegative() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerMessage =
  | { t: 'ok'; id: number; output: unknown }
  | { t: 'err'; id: number; error: WireError }
  | { t: 'ev'; id: number; event: unknown }
  | { t: 'end'; id: number; error?: WireError };

/**
 * Browser mode's WebSocket subprotocols: the client offers `warren.v1` (the server selects it) and
 * `warren.token.<token>`, which carries the access token in the handshake. A header, unlike a query
 * string, never lands in a URL, a log line or the page's history; unlike a cookie, a browser never
 * sends it to another port on its own.
 */
export const WS_PROTOCOL = 'warren.v1';
export const WS_TOKEN_PREFIX = 'warren.token.';

const BIN = '$bin';
/** a message carries one or a few byte blobs (a terminal chunk, an upload chunk): far fewer than this */
const MAX_BLOBS = 1024;

/** Frame layout: [u32 header length][header JSON][blob 0][blob 1]…; the header lists blob sizes. */
export function encodeFrame(message: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      blobs.push(value);
      return { [BIN]: blobs.length - 1 };
    }
    return value;
  });
  const header = textEncoder.encode(JSON.stringify({ m: json, b: blobs.map((b) => b.byteLength) }));
  const total = 4 + header.byteLength + blobs.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, header.byteLength);
  out.set(header, 4);
  let at = 4 + header.byteLength;
  for (const b of blobs) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new Error('frame too short');
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  if (4 + headerLength > frame.byteLength) throw new Error('frame header overruns the frame');
  const header = JSON.parse(textDecoder.decode(frame.subarray(4, 4 + headerLength))) as { m: string; b: number[] };
  if (typeof header.m !== 'string' || !Array.isArray(header.b)) throw new Error('malformed frame header');
  // each blob is an allocation of its own: a header listing millions of empty ones would exhaust memory
  if (header.b.length > MAX_BLOBS) throw new Error(`frame lists ${header.b.length} blobs (at most ${MAX_BLOBS})`);
  const blobs: Uint8Array[] = [];
  let at = 4 + headerLength;
  for (const size of header.b) {
    if (!Number.isInteger(size) || size < 0 || at + size > frame.byteLength) throw new Error('frame blob overruns the frame');
    blobs.push(frame.slice(at, at + size));
    at += size;
  }
  return JSON.parse(header.m, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && BIN in value) {
      const i = (value as Record<string, unknown>)[BIN];
      if (typeof i === 'number' && blobs[i] !== undefined) return blobs[i];
      throw new Error('frame refers to a missing blob');
    }
    return value;
  });
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
