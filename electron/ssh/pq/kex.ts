// The post-quantum hybrid key exchanges OpenSSH prefers, taught to ssh2 (registerKeyExchange in
// agent/ssh2-internals.ts):
// - mlkem768x25519-sha256: ML-KEM-768 (FIPS 203; @noble/post-quantum) with X25519, SHA-256 —
//   draft-ietf-sshm-mlkem-hybrid-kex; OpenSSH 9.9+, its default since 10.0
// - sntrup761x25519-sha512, and the name OpenSSH 8.5–9.8 gave it, sntrup761x25519-sha512@openssh.com:
//   Streamlined NTRU Prime 761 (sntrup761.ts) with X25519, SHA-512 — OpenSSH's default from 9.0
// The client sends Q_C = its KEM public key ‖ its X25519 public key (SSH_MSG_KEX_HYBRID_INIT, the number
// ECDH's INIT has); the server answers Q_S = the KEM ciphertext ‖ its X25519 public key; both take
// K = HASH(the KEM's shared secret ‖ the X25519 shared secret), which the exchange hash and the key
// derivation take as an SSH string (ECDH's K is an mpint). Everything else (the reply's host key and
// signature, the exchange hash, NEWKEYS) is ssh2's KeyExchange, unchanged.
import { createHash, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { registerKeyExchange, ssh2AlgorithmLists, type KeyExchangeBase, type KeyExchangeInternals } from '../../agent/ssh2-internals.js';
import { SNTRUP761, sntrup761Decapsulate, sntrup761Encapsulate, sntrup761Keypair } from './sntrup761.js';

/** A key encapsulation mechanism, as the hybrid exchange uses it. */
export interface Kem {
  readonly publicKeyBytes: number;
  readonly ciphertextBytes: number;
  keypair(): { publicKey: Uint8Array; secretKey: Uint8Array };
  encapsulate(publicKey: Uint8Array): { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

export interface HybridMethod {
  readonly name: string;
  readonly kem: Kem;
  readonly hash: 'sha256' | 'sha512';
}

const mlkem768: Kem = {
  publicKeyBytes: 1184,
  ciphertextBytes: 1088,
  keypair: () => ml_kem768.keygen(),
  encapsulate: (publicKey) => {
    const { cipherText, sharedSecret } = ml_kem768.encapsulate(publicKey);
    return { ciphertext: cipherText, sharedSecret };
  },
  decapsulate: (ciphertext, secretKey) => ml_kem768.decapsulate(ciphertext, secretKey),
};

const sntrup761: Kem = {
  publicKeyBytes: SNTRUP761.publicKeyBytes,
  ciphertextBytes: SNTRUP761.ciphertextBytes,
  keypair: () => sntrup761Keypair(),
  encapsulate: (publicKey) => sntrup761Encapsulate(publicKey),
  decapsulate: (ciphertext, secretKey) => sntrup761Decapsulate(ciphertext, secretKey),
};

/** The post-quantum key exchanges, in OpenSSH 10's order of preference (KEX_CLIENT_KEX in myproposal.h). */
export const PQ_KEX: readonly HybridMethod[] = [
  { name: 'mlkem768x25519-sha256', kem: mlkem768, hash: 'sha256' },
  { name: 'sntrup761x25519-sha512', kem: sntrup761, hash: 'sha512' },
  { name: 'sntrup761x25519-sha512@openssh.com', kem: sntrup761, hash: 'sha512' },
];

export function isPostQuantum(kex: string): boolean {
  return PQ_KEX.some((m) => m.name === kex);
}

// ---------------------------------------------------------------- X25519

const X25519_BYTES = 32;

function x25519Keypair(): { privateKey: KeyObject; publicKey: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url') };
}

/** X25519(ours, theirs); an all-zero result (a low-order point from the peer) is refused, as OpenSSH does */
function x25519(privateKey: KeyObject, peer: Uint8Array): Buffer {
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peer).toString('base64url') }, format: 'jwk' });
  const lowOrder = () => new Error('the X25519 shared secret is zero: the peer sent a low-order point');
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey });
  } catch {
    throw lowOrder(); // OpenSSL refuses an all-zero result itself ("failed during derivation")
  }
  if (shared.every((b) => b === 0)) throw lowOrder();
  return shared;
}

// ---------------------------------------------------------------- the exchange

/** K = HASH(kem secret ‖ X25519 secret) */
function combine(m: HybridMethod, kemSecret: Uint8Array, ecdhSecret: Uint8Array): Buffer {
  return createHash(m.hash).update(kemSecret).update(ecdhSecret).digest();
}

function expectLength(what: string, data: Uint8Array, bytes: number): void {
  if (data.length !== bytes) throw new Error(`${what} is ${data.length} bytes, not the ${bytes} the method has`);
}

/** The client's half: its ephemeral keys, Q_C, and K once Q_S arrives. */
export function hybridClient(m: HybridMethod): { init: Buffer; secret(reply: Uint8Array): Buffer } {
  const kem = takeKemKeypair(m.kem);
  const ecdh = x25519Keypair();
  return {
    init: Buffer.concat([kem.publicKey, ecdh.publicKey]),
    secret(reply) {
      expectLength(`The server's ${m.name} reply`, reply, m.kem.ciphertextBytes + X25519_BYTES);
      const kemSecret = m.kem.decapsulate(reply.subarray(0, m.kem.ciphertextBytes), kem.secretKey);
      return combine(m, kemSecret, x25519(ecdh.privateKey, reply.subarray(m.kem.ciphertextBytes)));
    },
  };
}

/** The server's half: Q_S and K for a client's Q_C. */
export function hybridServer(m: HybridMethod, init: Uint8Array): { reply: Buffer; secret: Buffer } {
  expectLength(`The client's ${m.name} init`, init, m.kem.publicKeyBytes + X25519_BYTES);
  const { ciphertext, sharedSecret } = m.kem.encapsulate(init.subarray(0, m.kem.publicKeyBytes));
  const ecdh = x25519Keypair();
  return {
    reply: Buffer.concat([ciphertext, ecdh.publicKey]),
    secret: combine(m, sharedSecret, x25519(ecdh.privateKey, init.subarray(m.kem.publicKeyBytes))),
  };
}

/**
 * One spare KEM key pair per mechanism, made while the process waits: generating one costs more than
 * the rest of the exchange (sntrup761 in JavaScript, ~30 ms), and a login should not wait for it.
 * connect() asks for them as it opens the socket, so they are made while the TCP handshake and the
 * server's greeting travel. Each pair serves one exchange; the next is made a moment after, so that it
 * does not hold up the rest of the login that just used one.
 */
const spares = new Map<Kem, { publicKey: Uint8Array; secretKey: Uint8Array }>();
const refilling = new Map<Kem, NodeJS.Timeout>();
const REFILL_AFTER_USE_MS = 250;

function refill(kem: Kem, afterMs: number): void {
  if (spares.has(kem)) return;
  const pending = refilling.get(kem);
  if (pending && afterMs > 0) return;
  clearTimeout(pending);
  const timer = setTimeout(() => {
    refilling.delete(kem);
    if (!spares.has(kem)) spares.set(kem, kem.keypair());
  }, afterMs).unref();
  refilling.set(kem, timer);
}

function takeKemKeypair(kem: Kem): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const spare = spares.get(kem);
  spares.delete(kem);
  refill(kem, REFILL_AFTER_USE_MS);
  return spare ?? kem.keypair();
}

/** Makes a spare key pair for each post-quantum method that has none, once the current work is done. */
export function prepareKeyExchange(): void {
  for (const m of PQ_KEX) refill(m.kem, 0);
}

/** ssh2's KeyExchange with the hybrid's Q_C, Q_S and K; ssh2 makes one per key exchange (rekeys too). */
function hybridKeyExchange(Base: KeyExchangeBase, m: HybridMethod, args: [unknown, unknown, unknown]): KeyExchangeInternals {
  class HybridKeyExchange extends Base {
    private client: ReturnType<typeof hybridClient> | null = null;
    private reply: Buffer | undefined;
    constructor() {
      super(...args);
      this.type = 'hybrid';
      this.hashName = m.hash;
    }
    override getPublicKey(): Buffer | undefined {
      if (this._protocol._server) return this.reply;
      this.client ??= hybridClient(m);
      return this.client.init;
    }
    override convertPublicKey(key: Buffer): Buffer {
      return key;
    }
    override computeSecret(other: Buffer): Buffer | Error {
      try {
        if (!this._protocol._server) {
          this.client ??= hybridClient(m);
          return this.client.secret(other);
        }
        const { reply, secret } = hybridServer(m, other);
        this.reply = reply;
        return secret;
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      }
    }
  }
  return new HybridKeyExchange();
}

for (const m of PQ_KEX) registerKeyExchange(m.name, (Base, ...args) => hybridKeyExchange(Base, m, args));

/** The key exchanges Warren offers: the post-quantum ones first, as OpenSSH 10 does, then ssh2's own. */
export const KEX_OFFER: readonly string[] = [...PQ_KEX.map((m) => m.name), ...ssh2AlgorithmLists.DEFAULT_KEX!];
