// Every access to ssh2's private fields and to its files under ssh2/lib/, in one place. ssh2's public
// API has no way to do these; each was checked against ssh2 1.17.0 (package.json: ^1.17.0), and an
// ssh2 upgrade must pass the tests named beside each. It lives in agent/, the lowest layer that uses
// ssh2, so that agent/, ssh/, sftp/ and diagnostics/ can all import it (arrows point down).
//
// - Protocol.prototype.authPK, `_kex.sessionID`, `_packetRW.write`, `_authsQueue`, utils.sendPacket /
//   convertSignature: user certificates (agent/certificates.ts; test/integration/keys.test.ts)
// - `_protocol._handlers.DISCONNECT`: the server's reason for a disconnect "by application"
//   (ssh/connect.ts; test/integration/ssh.test.ts)
// - SFTP's `_maxReadLen` / `_maxWriteLen`, lib/protocol/SFTP.js, `_chanMgr.update`, `_init()`,
//   a channel's `incoming` / `outgoing`: request sizes, and SFTP on an exec channel (sftp/session.ts;
//   test/integration/sftp.test.ts)
// - lib/protocol/constants.js: the algorithm lists (diagnostics/steps.ts; test/integration/doctor.test.ts)
// - `_protocol.ping()`, `_protocol._kexinit`, `_protocol._cipher.outSeqno`, the client's `_callbacks`
//   and lib/protocol/handlers.js's UNIMPLEMENTED entry: keepalive (ssh/keepalive.ts;
//   test/integration/interop.test.ts, TinySSH; test/integration/reconnect.test.ts)
// - lib/protocol/kex.js `KEX_EXTENSIONS`, which patches/ssh2+1.17.0.patch adds (patch-package applies it
//   at `npm install`), the KeyExchange base class it hands out, and constants' SUPPORTED_KEX: the
//   post-quantum key exchanges (ssh/pq/kex.ts; test/unit/pq-kex.test.ts, test/integration/pq.test.ts)
// - a channel's `incoming.window`, `outgoing.id/state`, `_client._protocol.channelWindowAdjust` and its
//   `push`: receive windows that grow with the path (ssh/window.ts; test/integration/wan.test.ts)
import { createRequire } from 'node:module';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';

const ssh2Lib = createRequire(import.meta.url);
const WRAPPED = Symbol('warren.authPK');

// ---------------------------------------------------------------- authPK (user certificates)

/** the fields of ssh2's Protocol (lib/protocol/Protocol.js) a wrapped authPK uses */
interface ProtocolInternals {
  /** the key exchange state; `sessionID` is H of the first exchange */
  _kex: { sessionID: Buffer };
  /** the methods of the USERAUTH_REQUESTs sent and not yet answered: ssh2 reads each answer as the first one's */
  _authsQueue: string[];
  /** the packet writer: `alloc` a packet with room for a payload at `allocStart`, `finalize` pads and seals it */
  _packetRW: { write: { alloc(n: number): Buffer; allocStart: number; finalize(p: Buffer): Buffer } };
}

type AuthPK = (this: ProtocolInternals, user: string, key: unknown, keyAlgo?: unknown, cbSign?: unknown) => void;

const Protocol = ssh2Lib('ssh2/lib/protocol/Protocol.js') as { prototype: { authPK: AuthPK & { [WRAPPED]?: true } } };
const protocolUtils = ssh2Lib('ssh2/lib/protocol/utils.js') as {
  /** writes a finalized packet to the connection (or queues it during a key exchange) */
  sendPacket(proto: unknown, packet: Buffer): void;
  /** a signature as SSH carries it: ECDSA's DER to (r, s); false/undefined when it cannot be converted */
  convertSignature(signature: Buffer, keyType: string): Buffer | false | undefined;
};

/** What a wrapped authPK may do on the connection it was called for. */
export interface PublickeyRequest {
  /** the session identifier (`_kex.sessionID`): the start of the data a publickey signature covers */
  readonly sessionID: Buffer;
  /**
   * Sends one SSH_MSG_USERAUTH_REQUEST (its payload) as ssh2's own authPK does: through its packet
   * writer, with 'publickey' queued on `_authsQueue` so ssh2 reads the server's answer as that method's.
   */
  send(payload: Buffer): void;
}

/**
 * Wraps ssh2's Protocol.prototype.authPK, once per process: `handle` sees every publickey request
 * first and returns true when it wrote the request itself; false leaves it to ssh2's own authPK.
 */
export function wrapAuthPK(handle: (request: PublickeyRequest, user: string, key: unknown, keyAlgo: unknown, cbSign: unknown) => boolean): void {
  const original = Protocol.prototype.authPK;
  if (original[WRAPPED]) return;
  const wrapped: AuthPK = function (user, key, keyAlgo, cbSign) {
    const proto = this;
    const request: PublickeyRequest = {
      get sessionID() {
        return proto._kex.sessionID;
      },
      send(payload) {
        const w = proto._packetRW.write;
        const packet = w.alloc(payload.length);
        payload.copy(packet, w.allocStart);
        proto._authsQueue.push('publickey');
        protocolUtils.sendPacket(proto, w.finalize(packet));
      },
    };
    if (!handle(request, user, key, keyAlgo, cbSign)) original.call(this, user, key, keyAlgo, cbSign);
  };
  Protocol.prototype.authPK = Object.assign(wrapped, { [WRAPPED]: true as const });
}

export const convertSignature = protocolUtils.convertSignature;

// ---------------------------------------------------------------- DISCONNECT

type DisconnectHandler = (p: unknown, reason: number, text: string) => void;

/**
 * Calls `see(reason, text)` for each SSH_MSG_DISCONNECT the server sends, before ssh2 handles it
 * (ssh2's handler table, `client._protocol._handlers`). Call it right after client.connect(), which
 * creates `_protocol`.
 */
export function beforeDisconnect(client: Client, see: (reason: number, text: string) => void): void {
  const handlers = (client as unknown as { _protocol: { _handlers: Record<string, DisconnectHandler> } })._protocol._handlers;
  const onDisconnect = handlers.DISCONNECT!;
  handlers.DISCONNECT = (p, reason, text) => {
    see(reason, text);
    onDisconnect(p, reason, text);
  };
}

// ---------------------------------------------------------------- SFTP

/**
 * The largest read and write ssh2's SFTP sends as one request (`_maxReadLen`, `_maxWriteLen`: from the
 * server's limits@openssh.com answer); 32 KiB when ssh2 has none.
 */
export function sftpRequestLimit(sftp: SFTPWrapper): number {
  const limits = sftp as unknown as { _maxReadLen?: number; _maxWriteLen?: number };
  return Math.min(limits._maxReadLen ?? 32_768, limits._maxWriteLen ?? 32_768);
}

interface SftpProtocol extends SFTPWrapper {
  /** where ssh2 pushes the channel's extended data (stderr) */
  stderr: { readable: boolean; push(data: Buffer | null): boolean; emit(event: string): boolean };
  /** sends SFTP's INIT: the session starts */
  _init(): void;
}
/** ssh2's SFTP protocol object: the same class Client.sftp() builds on a subsystem channel */
const { SFTP } = ssh2Lib('ssh2/lib/protocol/SFTP.js') as { SFTP: new (client: Client, chanInfo: object, cfg: object) => SftpProtocol };

/**
 * SFTP on a channel ssh2 opened for something else (an exec channel): what Client.sftp() does on a
 * subsystem channel (ssh2/lib/client.js): an SFTP object given the channel's ids (`incoming`,
 * `outgoing`), registered in the channel's place (`_chanMgr.update`) so it receives the channel's data,
 * exit and close. `onStderr` gets the channel's stderr (null at its end); `start()` sends INIT (`_init()`).
 */
export function sftpOnChannel(client: Client, channel: ClientChannel, onStderr: (data: Buffer | null) => void): { sftp: SFTPWrapper; start(): void } {
  const ch = channel as unknown as { incoming: { id: number }; outgoing: object };
  const sftp = new SFTP(client, { type: 'session', incoming: ch.incoming, outgoing: ch.outgoing }, {});
  sftp.stderr = {
    readable: true,
    push(d) {
      if (d === null) this.readable = false;
      onStderr(d);
      return true;
    },
    emit: () => false,
  };
  (client as unknown as { _chanMgr: { update(id: number, c: object): void } })._chanMgr.update(ch.incoming.id, sftp);
  return { sftp, start: () => sftp._init() };
}

// ---------------------------------------------------------------- algorithms

/** ssh2's algorithm lists (lib/protocol/constants.js): what it implements (SUPPORTED_KEX, …) and offers (DEFAULT_KEX, …) */
export const ssh2AlgorithmLists = ssh2Lib('ssh2/lib/protocol/constants.js') as Record<string, string[]>;

// ---------------------------------------------------------------- key exchange

/** the members of ssh2's KeyExchange (lib/protocol/kex.js) a key exchange added here implements or reads */
export interface KeyExchangeInternals {
  /** 'group' and 'groupex' change what ssh2 hashes; anything else hashes as ECDH does */
  type: string;
  /** the exchange hash's and the key derivation's hash */
  hashName: string;
  readonly _protocol: { readonly _server: boolean };
  /** Q_C (client) or Q_S (server): what this side sends; the server's is ready only after computeSecret */
  getPublicKey(): Buffer | undefined;
  /** the other side's Q as it goes into the exchange hash */
  convertPublicKey(key: Buffer): Buffer;
  /** K as the exchange hash and key derivation encode it (hashed as an SSH string), or the Error that ends the handshake */
  computeSecret(otherPublicKey: Buffer): Buffer | Error;
}
export type KeyExchangeBase = abstract new (negotiated: unknown, protocol: unknown, remoteKexinit: unknown) => KeyExchangeInternals;
type KeyExchangeFactory = (base: KeyExchangeBase, negotiated: unknown, protocol: unknown, remoteKexinit: unknown) => KeyExchangeInternals;

const kexModule = ssh2Lib('ssh2/lib/protocol/kex.js') as { KEX_EXTENSIONS?: Map<string, KeyExchangeFactory> };

/**
 * Teaches ssh2 a key exchange method: `create` builds it (a subclass of ssh2's KeyExchange, which sends
 * the client's KEX_ECDH_INIT, reads the reply, hashes, verifies the host key's signature and derives the
 * keys); the name joins SUPPORTED_KEX, so Client and Server accept it in `algorithms.kex`.
 */
export function registerKeyExchange(name: string, create: KeyExchangeFactory): void {
  const extensions = kexModule.KEX_EXTENSIONS;
  if (!extensions) {
    throw new Error(
      `ssh2's lib/protocol/kex.js lacks Warren's KEX_EXTENSIONS hook: patches/ssh2+*.patch was not applied (run \`npm install\`; after an ssh2 upgrade, remake the patch)`,
    );
  }
  extensions.set(name, create);
  const supported = ssh2AlgorithmLists.SUPPORTED_KEX!;
  if (!supported.includes(name)) supported.push(name);
}

// ---------------------------------------------------------------- keepalive

interface KeepaliveInternals {
  _protocol?: {
    /** sends GLOBAL_REQUEST keepalive@openssh.com with want-reply */
    ping(): void;
    /** defined while a key exchange runs: packets are queued then, their sequence numbers not yet known */
    _kexinit: unknown;
    _cipher: { outSeqno: number };
  };
  /** what ssh2 calls for each REQUEST_SUCCESS/FAILURE, in the order the requests went out */
  _callbacks: (() => void)[];
}

type MessageHandler = (proto: object, payload: Buffer) => void;
const MESSAGE_HANDLERS = ssh2Lib('ssh2/lib/protocol/handlers.js') as MessageHandler[];
const SSH_MSG_UNIMPLEMENTED = 3;
/** per connection: the keepalives sent and not yet answered, by sequence number, with their place in `_callbacks` */
const unanswered = new WeakMap<object, Map<number, () => void>>();

/**
 * ssh2's handler for SSH_MSG_UNIMPLEMENTED, once per process, so that a keepalive a server does not
 * implement (TinySSH answers so, as RFC 4253 §11.4 allows) gives up its place in `_callbacks`: left
 * there, the answer to the next global request (a remote forward) would go to it.
 */
function watchUnimplemented(): void {
  const original = MESSAGE_HANDLERS[SSH_MSG_UNIMPLEMENTED]!;
  if ((original as { warren?: true }).warren) return;
  const wrapped: MessageHandler = (proto, payload) => {
    const seqno = payload.length >= 5 ? payload.readUInt32BE(1) : -1;
    unanswered.get(proto)?.get(seqno)?.();
    original(proto, payload);
  };
  MESSAGE_HANDLERS[SSH_MSG_UNIMPLEMENTED] = Object.assign(wrapped, { warren: true as const });
}

/**
 * Sends keepalive@openssh.com with want-reply, as ssh2's own keepalive does (with a place in the
 * global requests' answer queue), unless a key exchange is running (its traffic says as much).
 * `onAnswer` is called when the server answers it, whatever the answer (SUCCESS, FAILURE or
 * UNIMPLEMENTED). Returns whether it was sent.
 */
export function sendKeepalive(client: Client, onAnswer?: () => void): boolean {
  watchUnimplemented();
  const c = client as unknown as KeepaliveInternals;
  const proto = c._protocol;
  if (!proto || proto._kexinit !== undefined) return false;
  const seqno = proto._cipher.outSeqno;
  let pending = unanswered.get(proto);
  if (!pending) unanswered.set(proto, (pending = new Map()));
  const place = () => {
    pending.delete(seqno);
    onAnswer?.();
  };
  pending.set(seqno, () => {
    pending.delete(seqno);
    const i = c._callbacks.indexOf(place);
    if (i >= 0) c._callbacks.splice(i, 1);
    onAnswer?.();
  });
  c._callbacks.push(place);
  proto.ping();
  return true;
}

// ---------------------------------------------------------------- receive window

/**
 * The fields of what ssh2 keeps in its channel manager for an open channel (a Channel, or the SFTP
 * object that replaced its subsystem channel) that the receive window uses. ssh2's CHANNEL_DATA
 * handler (lib/client.js) lowers `incoming.window`, calls `push(data)`, and adjusts the window back to
 * lib/Channel.js's MAX_WINDOW (2 MiB) once it falls to half of that.
 */
interface WindowInternals {
  incoming: { window: number };
  outgoing: { id: number; state: string };
  _client: { _protocol: { channelWindowAdjust(id: number, amount: number): void } };
  push(chunk: Buffer | null): boolean;
}

/** ssh2's own receive window (lib/Channel.js MAX_WINDOW), which it refills to */
export const SSH2_WINDOW = 2 * 1024 * 1024;

/**
 * Watches a channel's incoming data as ssh2 accounts it: `onData(bytes, accepted)` runs after each
 * CHANNEL_DATA, `accepted` false when the reader's buffer is full (ssh2 then waits for it to read).
 * Returns the channel's current window and a way to grant the server more (a WINDOW_ADJUST).
 */
export function watchReceiveWindow(
  channel: ClientChannel | SFTPWrapper,
  onData: (bytes: number, accepted: boolean) => void,
): { window(): number; grant(bytes: number): void } {
  const ch = channel as unknown as WindowInternals;
  const push = ch.push.bind(ch);
  ch.push = (chunk) => {
    const r = push(chunk); // SFTP's push answers nothing: only false means "the reader is full"
    if (chunk) onData(chunk.length, r !== false);
    return r;
  };
  return {
    window: () => ch.incoming.window,
    grant(bytes) {
      if (ch.outgoing.state === 'closed' || bytes <= 0) return;
      ch.incoming.window += bytes;
      ch._client._protocol.channelWindowAdjust(ch.outgoing.id, bytes);
    },
  };
}
