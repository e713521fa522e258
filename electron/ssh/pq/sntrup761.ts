// Streamlined NTRU Prime sntrup761 (p = 761, q = 4591, w = 286), the KEM of OpenSSH's
// sntrup761x25519-sha512 key exchange, written from the specification: "NTRU Prime: round 3"
// (Bernstein, Brumley, Chen, Chuengsatiansup, Lange, Marotzke, Peng, Tuveri, van Vredendaal, Yang,
// 2020), §2–§3, as supercop 20201130's reference implementation, which OpenSSH ships, computes it:
// byte-exact keys, ciphertexts and session keys (test/unit/sntrup761-kat.test.ts checks the
// submission's known answers; test/integration/pq.test.ts talks to a real sshd with it).
// The ring is R = Z[x]/(x^p − x − 1); "small" polynomials have coefficients in {−1, 0, 1}, "short"
// ones are small with exactly w nonzero coefficients; Rq is R mod q with coefficients in −(q−1)/2 …
// (q−1)/2. JavaScript gives no constant-time guarantee: the code follows the reference's branch-free
// structure where secrets are involved, but the engine may not.
import { createHash, randomBytes } from 'node:crypto';

const P = 761;
const Q = 4591;
const W = 286;
const Q12 = (Q - 1) / 2;
const SMALL_BYTES = (P + 3) / 4; // 191
const RQ_BYTES = 1158;
const ROUNDED_BYTES = 1007;
const HASH_BYTES = 32;

export const SNTRUP761 = {
  publicKeyBytes: RQ_BYTES,
  secretKeyBytes: 2 * SMALL_BYTES + RQ_BYTES + SMALL_BYTES + HASH_BYTES,
  ciphertextBytes: ROUNDED_BYTES + HASH_BYTES,
  sharedSecretBytes: HASH_BYTES,
} as const;

export type RandomBytes = (n: number) => Uint8Array;
const systemRandom: RandomBytes = (n) => randomBytes(n);

// ---------------------------------------------------------------- arithmetic mod 3 and mod q

/** F3_freeze: x mod 3 in {−1, 0, 1} */
const f3 = (x: number): number => ((((x + 1) % 3) + 3) % 3) - 1;
/** Fq_freeze: x mod q in −(q−1)/2 … (q−1)/2 */
const fq = (x: number): number => ((((x + Q12) % Q) + Q) % Q) - Q12;

/** Fq_recip: 1/a in Fq, as a^(q−2) */
function fqRecip(a: number): number {
  let ai = a;
  for (let i = 1; i < Q - 2; i++) ai = fq(a * ai);
  return ai;
}

// ---------------------------------------------------------------- polynomials

/**
 * f·g in R, its coefficients reduced by `freeze`: the product of degree 2p−2, then x^p = x + 1 from the
 * top down. Sums are exact in doubles (|f| ≤ (q−1)/2, |g| ≤ 1, p terms), so one reduction per
 * coefficient gives what the reference's reduction after every step gives.
 */
function multSmall(f: ArrayLike<number>, g: Int8Array, freeze: (x: number) => number): Int32Array {
  const fg = new Float64Array(2 * P - 1);
  for (let j = 0; j < P; j++) {
    const gj = g[j]!;
    if (gj === 0) continue;
    for (let i = 0; i < P; i++) fg[i + j] = fg[i + j]! + f[i]! * gj;
  }
  for (let i = 2 * P - 2; i >= P; i--) {
    fg[i - P] = fg[i - P]! + fg[i]!;
    fg[i - P + 1] = fg[i - P + 1]! + fg[i]!;
  }
  const h = new Int32Array(P);
  for (let i = 0; i < P; i++) h[i] = freeze(fg[i]!);
  return h;
}

/** x (|x| ≤ 2) mod 3 in {−1, 0, 1}, without a division */
const f3small = (x: number): number => (x > 1 ? x - 3 : x < -1 ? x + 3 : x);
const INV_Q = 1 / Q;
/**
 * x (an integer, |x| < 2^31) mod q in −(q−1)/2 … (q−1)/2, without a division: x/q is never within
 * 1/(2q) of a half-integer (q is odd), far more than the product's rounding error, so rounding the
 * product with 1/q picks the nearest multiple of q exactly
 */
const fqFast = (x: number): number => x - Q * Math.round(x * INV_Q);

/**
 * R3_recip: 1/in in R/3 and whether it exists: the reference's 2p − 1 divsteps on f = x^p − x − 1
 * and g = reversed in, with v, r tracking the inverse. (Swaps are of array references here.)
 */
function r3Recip(input: Int8Array): { out: Int8Array; ok: boolean } {
  let f = new Int8Array(P + 1);
  let g = new Int8Array(P + 1);
  let v = new Int8Array(P + 1);
  let r = new Int8Array(P + 1);
  r[0] = 1;
  f[0] = 1;
  f[P - 1] = -1;
  f[P] = -1;
  for (let i = 0; i < P; i++) g[P - 1 - i] = input[i]!;
  let delta = 1;
  for (let loop = 0; loop < 2 * P - 1; loop++) {
    const top = Math.min(loop + 1, P); // as in rqRecip3: v and r are zero above it
    v.copyWithin(1, 0, top);
    v[0] = 0;
    const sign = -g[0]! * f[0]!;
    if (delta > 0 && g[0] !== 0) {
      delta = -delta;
      const t = f;
      f = g;
      g = t;
      const u = v;
      v = r;
      r = u;
    }
    delta += 1;
    // g ← (g + sign·f)/x, r ← r + sign·v
    for (let i = 0; i < P; i++) g[i] = f3small(g[i + 1]! + sign * f[i + 1]!);
    g[P] = 0;
    for (let i = 0; i <= top; i++) r[i] = f3small(r[i]! + sign * v[i]!);
  }
  const sign = f[0]!;
  const out = new Int8Array(P);
  for (let i = 0; i < P; i++) out[i] = sign * v[P - 1 - i]!;
  return { out, ok: delta === 0 };
}

/** Rq_recip3: 1/(3·in) in Rq (it exists for every short `in`): the same divsteps mod q */
function rqRecip3(input: Int8Array): Int32Array {
  let f = new Int32Array(P + 1);
  let g = new Int32Array(P + 1);
  let v = new Int32Array(P + 1);
  let r = new Int32Array(P + 1);
  r[0] = fqRecip(3);
  f[0] = 1;
  f[P - 1] = -1;
  f[P] = -1;
  for (let i = 0; i < P; i++) g[P - 1 - i] = input[i]!;
  let delta = 1;
  for (let loop = 0; loop < 2 * P - 1; loop++) {
    // v and r are zero above index `loop` here (v moves up one place per step): `top` bounds the work on them
    const top = Math.min(loop + 1, P);
    v.copyWithin(1, 0, top);
    v[0] = 0;
    if (delta > 0 && g[0] !== 0) {
      delta = -delta;
      const t = f;
      f = g;
      g = t;
      const u = v;
      v = r;
      r = u;
    }
    delta += 1;
    const f0 = f[0]!;
    const g0 = g[0]!;
    // g ← (f0·g − g0·f)/x, r ← f0·r − g0·v
    for (let i = 0; i < P; i++) g[i] = fqFast(f0 * g[i + 1]! - g0 * f[i + 1]!);
    g[P] = 0;
    for (let i = 0; i <= top; i++) r[i] = fqFast(f0 * r[i]! - g0 * v[i]!);
  }
  const scale = fqRecip(f[0]!);
  const out = new Int32Array(P);
  for (let i = 0; i < P; i++) out[i] = fq(scale * v[P - 1 - i]!);
  return out;
}

// ---------------------------------------------------------------- randomness

/**
 * urandom32 n times: four bytes each, little-endian, one request of four bytes each time as the
 * reference asks (a deterministic generator, as the known-answer tests use, gives other bytes for one
 * request of 4n)
 */
function random32(random: RandomBytes, n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const b = random(4);
    out[i] = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }
  return out;
}

/** Short_random: a random short polynomial, by sorting (Short_fromlist) */
function shortRandom(random: RandomBytes): Int8Array {
  const list = random32(random, P);
  for (let i = 0; i < W; i++) list[i] = (list[i]! & ~1) >>> 0;
  for (let i = W; i < P; i++) list[i] = ((list[i]! & ~3) | 1) >>> 0;
  list.sort();
  const out = new Int8Array(P);
  for (let i = 0; i < P; i++) out[i] = (list[i]! & 3) - 1;
  return out;
}

/** Small_random: each coefficient ⌊3·(u mod 2^30)/2^30⌋ − 1 */
function smallRandom(random: RandomBytes): Int8Array {
  const list = random32(random, P);
  const out = new Int8Array(P);
  for (let i = 0; i < P; i++) out[i] = Math.floor(((list[i]! & 0x3fffffff) * 3) / 2 ** 30) - 1;
  return out;
}

// ---------------------------------------------------------------- encodings

/** Encode: 0 ≤ R[i] < M[i] < 16384, as a mixed-radix number, bytes out as they are determined */
function encode(out: number[], r: ArrayLike<number>, m: ArrayLike<number>): void {
  const len = r.length;
  if (len === 1) {
    let x = r[0]!;
    let mm = m[0]!;
    while (mm > 1) {
      out.push(x & 0xff);
      x >>>= 8;
      mm = (mm + 255) >>> 8;
    }
    return;
  }
  const half = (len + 1) >> 1;
  const r2 = new Uint32Array(half);
  const m2 = new Uint32Array(half);
  let i = 0;
  for (; i < len - 1; i += 2) {
    const m0 = m[i]!;
    let x = r[i]! + r[i + 1]! * m0;
    let mm = m[i + 1]! * m0;
    while (mm >= 16384) {
      out.push(x & 0xff);
      x >>>= 8;
      mm = (mm + 255) >>> 8;
    }
    r2[i >> 1] = x;
    m2[i >> 1] = mm;
  }
  if (i < len) {
    r2[i >> 1] = r[i]!;
    m2[i >> 1] = m[i]!;
  }
  encode(out, r2, m2);
}

/** Decode: the inverse of encode; `at` is where this level's bytes start. Values of invalid input are reduced into range. */
function decode(s: Uint8Array, at: number, m: ArrayLike<number>): Uint32Array {
  const len = m.length;
  const out = new Uint32Array(len);
  if (len === 1) {
    const m0 = m[0]!;
    out[0] = m0 === 1 ? 0 : m0 <= 256 ? s[at]! % m0 : (s[at]! + (s[at + 1]! << 8)) % m0;
    return out;
  }
  const half = (len + 1) >> 1;
  const m2 = new Uint32Array(half);
  const bottomR = new Uint32Array(len >> 1);
  const bottomT = new Uint32Array(len >> 1);
  let i = 0;
  for (; i < len - 1; i += 2) {
    const mm = m[i]! * m[i + 1]!;
    if (mm > 256 * 16383) {
      bottomT[i >> 1] = 65536;
      bottomR[i >> 1] = s[at]! + 256 * s[at + 1]!;
      at += 2;
      m2[i >> 1] = (((mm + 255) >>> 8) + 255) >>> 8;
    } else if (mm >= 16384) {
      bottomT[i >> 1] = 256;
      bottomR[i >> 1] = s[at]!;
      at += 1;
      m2[i >> 1] = (mm + 255) >>> 8;
    } else {
      bottomT[i >> 1] = 1;
      bottomR[i >> 1] = 0;
      m2[i >> 1] = mm;
    }
  }
  if (i < len) m2[i >> 1] = m[i]!;
  const r2 = decode(s, at, m2);
  let o = 0;
  for (i = 0; i < len - 1; i += 2) {
    const x = bottomR[i >> 1]! + bottomT[i >> 1]! * r2[i >> 1]!;
    out[o++] = x % m[i]!;
    out[o++] = Math.floor(x / m[i]!) % m[i + 1]!;
  }
  if (i < len) out[o] = r2[i >> 1]!;
  return out;
}

const M_Q = new Uint32Array(P).fill(Q);
const M_ROUNDED = new Uint32Array(P).fill((Q + 2) / 3);

function encoded(values: ArrayLike<number>, m: Uint32Array, bytes: number): Uint8Array {
  const out: number[] = [];
  encode(out, values, m);
  if (out.length !== bytes) throw new Error(`sntrup761: an encoding came out ${out.length} bytes, not ${bytes}`);
  return Uint8Array.from(out);
}

function rqEncode(h: Int32Array): Uint8Array {
  return encoded(
    h.map((x) => x + Q12),
    M_Q,
    RQ_BYTES,
  );
}
function rqDecode(s: Uint8Array): Int32Array {
  return Int32Array.from(decode(s, 0, M_Q), (x) => x - Q12);
}
function roundedEncode(c: Int32Array): Uint8Array {
  return encoded(
    c.map((x) => ((x + Q12) * 10923) >> 15),
    M_ROUNDED,
    ROUNDED_BYTES,
  );
}
function roundedDecode(s: Uint8Array): Int32Array {
  return Int32Array.from(decode(s, 0, M_ROUNDED), (x) => x * 3 - Q12);
}

/** Small_encode: four coefficients (+1) per byte, the last one alone */
function smallEncode(f: Int8Array): Uint8Array {
  const s = new Uint8Array(SMALL_BYTES);
  for (let i = 0; i < P >> 2; i++) {
    s[i] = (f[4 * i]! + 1) | ((f[4 * i + 1]! + 1) << 2) | ((f[4 * i + 2]! + 1) << 4) | ((f[4 * i + 3]! + 1) << 6);
  }
  s[P >> 2] = f[P - 1]! + 1;
  return s;
}
function smallDecode(s: Uint8Array): Int8Array {
  const f = new Int8Array(P);
  for (let i = 0; i < P >> 2; i++) {
    const x = s[i]!;
    f[4 * i] = (x & 3) - 1;
    f[4 * i + 1] = ((x >> 2) & 3) - 1;
    f[4 * i + 2] = ((x >> 4) & 3) - 1;
    f[4 * i + 3] = ((x >> 6) & 3) - 1;
  }
  f[P - 1] = (s[P >> 2]! & 3) - 1;
  return f;
}

// ---------------------------------------------------------------- hashes

/** Hash_prefix: the first 32 bytes of SHA-512(b ‖ input…) */
function hashPrefix(b: number, ...input: Uint8Array[]): Uint8Array {
  const h = createHash('sha512').update(Uint8Array.of(b));
  for (const x of input) h.update(x);
  return h.digest().subarray(0, HASH_BYTES);
}

/** HashConfirm(r, pk) = Hash2(Hash3(r) ‖ Hash4(pk)); `cache` is Hash4(pk) */
const hashConfirm = (rEnc: Uint8Array, cache: Uint8Array) => hashPrefix(2, hashPrefix(3, rEnc), cache);
/** HashSession(b, r, C) = Hash_b(Hash3(r) ‖ C) */
const hashSession = (b: number, rEnc: Uint8Array, c: Uint8Array) => hashPrefix(b, hashPrefix(3, rEnc), c);

// ---------------------------------------------------------------- the KEM

/** Round: each coefficient to the nearest multiple of 3 */
const round3 = (a: Int32Array) => a.map((x) => x - f3(x));

/** Hide: C = Rounded_encode(Round(h·r)) ‖ HashConfirm(r, pk), and the encoded r */
function hide(r: Int8Array, pk: Uint8Array, cache: Uint8Array): { c: Uint8Array; rEnc: Uint8Array } {
  const rEnc = smallEncode(r);
  const c = new Uint8Array(SNTRUP761.ciphertextBytes);
  c.set(roundedEncode(round3(multSmall(rqDecode(pk), r, fq))), 0);
  c.set(hashConfirm(rEnc, cache), ROUNDED_BYTES);
  return { c, rEnc };
}

function expectBytes(what: string, data: Uint8Array, bytes: number): void {
  if (data.length !== bytes) throw new Error(`sntrup761: the ${what} is ${data.length} bytes, not ${bytes}`);
}

/** KEM_KeyGen: pk = Rq_encode(h) with h = g/(3f); sk = f ‖ 1/g (mod 3) ‖ pk ‖ rho ‖ Hash4(pk) */
export function sntrup761Keypair(random: RandomBytes = systemRandom): { publicKey: Uint8Array; secretKey: Uint8Array } {
  let g: Int8Array;
  let ginv: Int8Array;
  for (;;) {
    g = smallRandom(random);
    const recip = r3Recip(g);
    if (recip.ok) {
      ginv = recip.out;
      break;
    }
  }
  const f = shortRandom(random);
  const h = multSmall(rqRecip3(f), g, fq);
  const publicKey = rqEncode(h);
  const secretKey = new Uint8Array(SNTRUP761.secretKeyBytes);
  let at = 0;
  for (const part of [smallEncode(f), smallEncode(ginv), publicKey, random(SMALL_BYTES), hashPrefix(4, publicKey)]) {
    secretKey.set(part, at);
    at += part.length;
  }
  return { publicKey, secretKey };
}

/** Encap: a random short r hidden in C; the session key is HashSession(1, r, C) */
export function sntrup761Encapsulate(publicKey: Uint8Array, random: RandomBytes = systemRandom): { ciphertext: Uint8Array; sharedSecret: Uint8Array } {
  expectBytes('public key', publicKey, RQ_BYTES);
  const cache = hashPrefix(4, publicKey);
  const r = shortRandom(random);
  const { c, rEnc } = hide(r, publicKey, cache);
  return { ciphertext: c, sharedSecret: hashSession(1, rEnc, c) };
}

/**
 * Decap: r from C with f and 1/g, C hidden again from r; a ciphertext that does not match gets the
 * session key of rho instead (HashSession(0, rho, C): implicit rejection, never an error).
 */
export function sntrup761Decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array {
  expectBytes('ciphertext', ciphertext, SNTRUP761.ciphertextBytes);
  expectBytes('secret key', secretKey, SNTRUP761.secretKeyBytes);
  const f = smallDecode(secretKey.subarray(0, SMALL_BYTES));
  const ginv = smallDecode(secretKey.subarray(SMALL_BYTES, 2 * SMALL_BYTES));
  const pk = secretKey.subarray(2 * SMALL_BYTES, 2 * SMALL_BYTES + RQ_BYTES);
  const rho = secretKey.subarray(2 * SMALL_BYTES + RQ_BYTES, 3 * SMALL_BYTES + RQ_BYTES);
  const cache = secretKey.subarray(3 * SMALL_BYTES + RQ_BYTES);
  // Decrypt: e = 3·c·f mod 3 … then e/g; r is that if it has weight w, else a fixed short polynomial
  const c = roundedDecode(ciphertext.subarray(0, ROUNDED_BYTES));
  const cf = multSmall(c, f, fq);
  const e = new Int8Array(P);
  for (let i = 0; i < P; i++) e[i] = f3(fq(3 * cf[i]!));
  const ev = Int8Array.from(multSmall(e, ginv, f3));
  let weight = 0;
  for (let i = 0; i < P; i++) weight += ev[i]! & 1;
  const r = weight === W ? ev : Int8Array.from({ length: P }, (_, i) => (i < W ? 1 : 0));
  const { c: again, rEnc } = hide(r, pk, cache);
  let diff = 0;
  for (let i = 0; i < again.length; i++) diff |= again[i]! ^ ciphertext[i]!;
  return diff === 0 ? hashSession(1, rEnc, ciphertext) : hashSession(0, rho, ciphertext);
}
