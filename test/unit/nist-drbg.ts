// NIST's AES-256 CTR_DRBG as the PQC known-answer-test generators use it: rng.c from NIST's
// "source code files for KATs" (randombytes_init / randombytes / AES256_CTR_DRBG_Update; also
// PQClean test/common/nistkatrng.c). No derivation function, no personalization string, no
// reseeding: randombytes_init(entropy[48]) sets Key = 0, V = 0 and runs Update(entropy); each
// randombytes(x, n) encrypts V+1, V+2, … under Key for ⌈n/16⌉ blocks, then runs Update(NULL).
// Every randombytes call ends with an Update, so how a KEM splits its requests changes its output.
import { createCipheriv } from 'node:crypto';

export class NistKatDrbg {
  private key = Buffer.alloc(32);
  private v = Buffer.alloc(16);

  /** randombytes_init(entropy_input, NULL, 256) */
  constructor(entropy: Uint8Array) {
    if (entropy.length !== 48) throw new RangeError('the NIST KAT DRBG takes 48 bytes of entropy');
    this.update(this.blocks(3), entropy);
  }

  /** randombytes(x, n) */
  randomBytes(n: number): Uint8Array {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`randombytes: bad length ${n}`);
    const count = Math.ceil(n / 16);
    // the output blocks and Update(NULL)'s three blocks are all under the current Key, with V
    // counting on: one ECB pass does both
    const stream = this.blocks(count + 3);
    const out = new Uint8Array(stream.subarray(0, n));
    this.update(stream.subarray(16 * count));
    return out;
  }

  /** the same, as the `(n) => Uint8Array` a KEM's optional `random` parameter takes */
  readonly random = (n: number): Uint8Array => this.randomBytes(n);

  /** AES256_ECB(Key, ++V) for `count` successive values of V */
  private blocks(count: number): Buffer {
    const counters = Buffer.alloc(16 * count);
    for (let i = 0; i < count; i++) {
      for (let j = 15; j >= 0; j--) {
        const byte = this.v[j]!;
        if (byte === 0xff) this.v[j] = 0;
        else {
          this.v[j] = byte + 1;
          break;
        }
      }
      this.v.copy(counters, 16 * i);
    }
    const aes = createCipheriv('aes-256-ecb', this.key, null).setAutoPadding(false);
    return Buffer.concat([aes.update(counters), aes.final()]);
  }

  /** AES256_CTR_DRBG_Update, given its 48 bytes of AES output (temp) and provided_data */
  private update(temp: Buffer, provided?: Uint8Array): void {
    const t = Buffer.from(temp);
    if (provided) for (let i = 0; i < 48; i++) t[i] = t[i]! ^ provided[i]!;
    this.key = t.subarray(0, 32);
    this.v = Buffer.from(t.subarray(32, 48));
  }
}
