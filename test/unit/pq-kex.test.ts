// The post-quantum hybrid exchanges' own logic (electron/ssh/pq/kex.ts) and their hook into ssh2. That
// they are byte-exact with OpenSSH is proven against a real sshd (test/integration/pq.test.ts,
// interop.test.ts); here: both halves agree, malformed input is refused, and ssh2 still has the hook
// (patches/ssh2+*.patch) after an upgrade.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ssh2AlgorithmLists } from '../../electron/agent/ssh2-internals.js';
import { hybridClient, hybridServer, isPostQuantum, KEX_OFFER, PQ_KEX } from '../../electron/ssh/pq/kex.js';

const require = createRequire(import.meta.url);

describe('hybrid key exchange', () => {
  for (const m of PQ_KEX) {
    it(`${m.name}: client and server reach the same K, of the hash's length`, () => {
      for (let i = 0; i < 5; i++) {
        const c = hybridClient(m);
        expect(c.init.length).toBe(m.kem.publicKeyBytes + 32);
        const s = hybridServer(m, c.init);
        expect(s.reply.length).toBe(m.kem.ciphertextBytes + 32);
        const k = c.secret(s.reply);
        expect(k.length).toBe(m.hash === 'sha256' ? 32 : 64);
        expect(k.equals(s.secret)).toBe(true);
      }
    });

    it(`${m.name}: a different exchange gives a different K; a tampered ciphertext does not give the server's K`, () => {
      const a = hybridClient(m);
      const b = hybridClient(m);
      expect(a.init.equals(b.init)).toBe(false);
      const s = hybridServer(m, a.init);
      const tampered = Buffer.from(s.reply);
      tampered[10]! ^= 1;
      // the KEMs reject implicitly: a pseudo-random secret, never the real one, never an exception
      expect(a.secret(tampered).equals(s.secret)).toBe(false);
    });

    it(`${m.name}: refuses wrong lengths and a low-order X25519 point`, () => {
      const c = hybridClient(m);
      expect(() => c.secret(Buffer.alloc(10))).toThrow(/reply is 10 bytes/);
      expect(() => hybridServer(m, Buffer.alloc(m.kem.publicKeyBytes))).toThrow(/init is \d+ bytes/);
      const s = hybridServer(m, c.init);
      const zeroPoint = Buffer.from(s.reply);
      zeroPoint.fill(0, m.kem.ciphertextBytes);
      expect(() => c.secret(zeroPoint)).toThrow(/X25519|low-order|zero/i);
    });
  }

  it('offers the post-quantum methods first, in OpenSSH 10 order, then ssh2’s own', () => {
    expect(KEX_OFFER.slice(0, 3)).toEqual(['mlkem768x25519-sha256', 'sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com']);
    expect(KEX_OFFER.slice(3)).toEqual(ssh2AlgorithmLists.DEFAULT_KEX);
    expect(isPostQuantum('sntrup761x25519-sha512@openssh.com')).toBe(true);
    expect(isPostQuantum('curve25519-sha256')).toBe(false);
  });

  it('is registered in ssh2 (KEX_EXTENSIONS from patches/ssh2+*.patch, SUPPORTED_KEX)', () => {
    const kex = require('ssh2/lib/protocol/kex.js') as { KEX_EXTENSIONS?: Map<string, unknown> };
    expect(kex.KEX_EXTENSIONS, 'ssh2 without the patch: run npm install, or remake patches/ for the new ssh2').toBeInstanceOf(Map);
    for (const m of PQ_KEX) {
      expect(kex.KEX_EXTENSIONS?.has(m.name)).toBe(true);
      expect(ssh2AlgorithmLists.SUPPORTED_KEX).toContain(m.name);
    }
  });
});
