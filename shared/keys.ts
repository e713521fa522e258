import { z } from 'zod';
import { WireError } from './errors.js';
import { Id, Target } from './model.js';
import { call, empty, ok, stream } from './spec.js';

/**
 * The keys section of the contract: the key manager (key files in ~/.ssh and Warren's own key folder),
 * deploying a public key to a host (ssh-copy-id done right), rotating a host's key as one guided
 * action, the ssh-agent, and OpenSSH user certificates (`KEY-cert.pub` beside a key, or held by the agent).
 * Key paths given to these calls must lie in ~/.ssh or Warren's key folder (`~` is expanded); only
 * `keys.import` reads a key from anywhere.
 */

const Path = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'a path has no NUL character');
/** one line of text: the passphrase travels to ssh-keygen on its stdin */
const Passphrase = z
  .string()
  .max(1024)
  .refine((p) => !/[\r\n\0]/.test(p), 'a passphrase is one line');
/** a new passphrase: ssh-keygen refuses shorter ones */
const NewPassphrase = Passphrase.refine((p) => p === '' || p.length >= 5, 'a passphrase has at least 5 characters');
export const FileName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_@][A-Za-z0-9._@+-]*$/, 'a key file name has letters, digits and . _ @ + -, and no slashes')
  .refine((n) => !/\.pub$/.test(n), 'the name of the private key file (its public key gets .pub)');

export const KeyType = z.enum(['ed25519', 'ecdsa', 'rsa']);
export type KeyType = z.infer<typeof KeyType>;

/** An OpenSSH certificate (PROTOCOL.certkeys), as a key file's `-cert.pub` or an agent identity carries it. */
export const CertInfo = z.object({
  /** the `-cert.pub` file; null for a certificate held by the agent */
  file: z.string().nullable(),
  /** e.g. `ssh-ed25519-cert-v01@openssh.com` */
  algorithm: z.string(),
  kind: z.enum(['user', 'host']),
  keyId: z.string(),
  serial: z.string(),
  /** empty: valid for any principal */
  principals: z.array(z.string()),
  /** epoch ms; null: valid since always */
  validAfter: z.number().nullable(),
  /** epoch ms; null: valid forever */
  validBefore: z.number().nullable(),
  /** the signing CA's key, `SHA256:…` */
  caFingerprint: z.string(),
  criticalOptions: z.record(z.string(), z.string()),
  extensions: z.array(z.string()),
});
export type CertInfo = z.infer<typeof CertInfo>;

export const KeyInfo = z.object({
  path: z.string(),
  /** the file name */
  name: z.string(),
  folder: z.enum(['ssh', 'warren']),
  /** e.g. `ssh-ed25519`; null when the public key cannot be read without the passphrase */
  algorithm: z.string().nullable(),
  /** as `ssh-keygen -lf` prints it: ED25519, ECDSA, RSA, DSA */
  type: z.string().nullable(),
  bits: z.number().nullable(),
  comment: z.string(),
  /** `SHA256:…` exactly as `ssh-keygen -lf` prints it */
  fingerprint: z.string().nullable(),
  /** the private key is protected by a passphrase */
  encrypted: z.boolean(),
  /** a `.pub` file sits beside it */
  hasPublicFile: z.boolean(),
  certificate: CertInfo.nullable(),
  /** what is wrong with it (unreadable public key, a certificate that does not parse or match), else null */
  problem: z.string().nullable(),
});
export type KeyInfo = z.infer<typeof KeyInfo>;

export const AgentIdentity = z.object({
  algorithm: z.string(),
  type: z.string(),
  bits: z.number().nullable(),
  fingerprint: z.string(),
  comment: z.string(),
  certificate: CertInfo.nullable(),
});
export type AgentIdentity = z.infer<typeof AgentIdentity>;

/** authorized_keys options (sshd(8) AUTHORIZED_KEYS FILE FORMAT) a deployed key may carry */
export const KeyOptions = z
  .object({
    /** forced command: whatever the client asks, sshd runs this */
    command: z
      .string()
      .min(1)
      .max(1000)
      .refine((c) => !/[\r\n\0]/.test(c), 'a command is one line')
      .optional(),
    /** source addresses or host patterns allowed to use the key, comma-separated (`10.0.0.0/8,*.example.com`) */
    from: z
      .string()
      .min(1)
      .max(1000)
      .regex(/^[A-Za-z0-9.*?:/!,%_-]+$/, 'from= takes comma-separated patterns or CIDR addresses')
      .optional(),
    noPortForwarding: z.boolean().optional(),
    noAgentForwarding: z.boolean().optional(),
    noX11Forwarding: z.boolean().optional(),
    noPty: z.boolean().optional(),
  })
  .strict();
export type KeyOptions = z.infer<typeof KeyOptions>;

/** The options field of an authorized_keys line (without the key), or '' for none. */
export function authorizedKeysOptions(o: KeyOptions): string {
  const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return [
    o.command !== undefined && `command=${quote(o.command)}`,
    o.from !== undefined && `from=${quote(o.from)}`,
    o.noPortForwarding && 'no-port-forwarding',
    o.noAgentForwarding && 'no-agent-forwarding',
    o.noX11Forwarding && 'no-X11-forwarding',
    o.noPty && 'no-pty',
  ]
    .filter((x): x is string => typeof x === 'string')
    .join(',');
}

export type CertState = { state: 'valid' | 'expiring' | 'expired' | 'not-yet-valid'; message: string | null };

/**
 * Whether a certificate is usable now, with a warning before it expires: in the last quarter of its
 * validity, but at most the last 7 days (a 1-hour certificate warns 15 minutes ahead, a yearly one a week).
 */
export function certState(c: Pick<CertInfo, 'validAfter' | 'validBefore'>, now = Date.now()): CertState {
  const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  if (c.validAfter !== null && now < c.validAfter) return { state: 'not-yet-valid', message: `the certificate is valid only from ${at(c.validAfter)}` };
  if (c.validBefore === null) return { state: 'valid', message: null };
  if (now >= c.validBefore) return { state: 'expired', message: `the certificate expired at ${at(c.validBefore)}; ask your CA to sign the key again` };
  const left = c.validBefore - now;
  const lifetime = c.validAfter === null ? Infinity : c.validBefore - c.validAfter;
  if (left > Math.min(7 * 86_400_000, lifetime / 4)) return { state: 'valid', message: null };
  const minutes = Math.ceil(left / 60_000);
  const inWords = minutes < 120 ? `${minutes} min` : minutes < 2880 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} days`;
  return { state: 'expiring', message: `the certificate expires in ${inWords} (${at(c.validBefore)}); ask your CA for a new one soon` };
}

export const DeployResult = z.object({
  /** the line as it is in authorized_keys */
  line: z.string(),
  /** the remote authorized_keys file */
  file: z.string(),
  /** false: the key was already there, nothing was written */
  added: z.boolean(),
  /** permission problems sshd's StrictModes would refuse the key for (group/world-writable home, ~/.ssh or file) */
  warnings: z.array(z.string()),
  /** the proof: a fresh login with this key alone */
  login: z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: WireError })]),
});
export type DeployResult = z.infer<typeof DeployResult>;

export const RotateStepId = z.enum(['generate', 'deploy', 'test', 'switch', 'remove-old']);
export type RotateStepId = z.infer<typeof RotateStepId>;

export const RotateStep = z.object({
  id: RotateStepId,
  status: z.enum(['running', 'done', 'failed', 'skipped']),
  detail: z.string(),
  error: WireError.optional(),
});
export type RotateStep = z.infer<typeof RotateStep>;

export const RotateEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), step: RotateStep }),
  /** the end: `key` is the new key (also when the rotation stopped, if it was generated) */
  z.object({ type: z.literal('done'), ok: z.boolean(), message: z.string(), key: KeyInfo.nullable() }),
]);
export type RotateEvent = z.infer<typeof RotateEvent>;

const KeySpec = {
  type: KeyType.default('ed25519'),
  /** RSA: 3072 (default) to 8192; ECDSA: 256 (default), 384 or 521; Ed25519: always 256 */
  bits: z.number().int().optional(),
  comment: z
    .string()
    .max(200)
    .refine((c) => !/[\r\n\0]/.test(c), 'a comment is one line')
    .optional(),
  /** omitted: the key has no passphrase */
  passphrase: NewPassphrase.min(1).optional(),
};
const bitsOk = (v: { type: KeyType; bits?: number | undefined }) =>
  v.bits === undefined || (v.type === 'rsa' ? v.bits >= 3072 && v.bits <= 8192 : v.type === 'ecdsa' ? [256, 384, 521].includes(v.bits) : v.bits === 256);
const bitsRule = { message: 'RSA keys have 3072 to 8192 bits, ECDSA keys 256, 384 or 521, Ed25519 keys 256', path: ['bits'] };

export const keysCalls = {
  /** every private key in ~/.ssh and Warren's key folder */
  'keys.list': call(empty, z.array(KeyInfo)),
  /** a new key pair in OpenSSH format (private 0600, public 0644); CONFLICT when either file exists */
  'keys.generate': call(
    z
      .object({ ...KeySpec, name: FileName, folder: z.enum(['warren', 'ssh']).default('warren') })
      .strict()
      .refine(bitsOk, bitsRule),
    KeyInfo,
  ),
  /** copies a private key (and its .pub and -cert.pub) into Warren's key folder, 0600; the passphrase is needed only to derive a missing .pub from an encrypted PEM key */
  'keys.import': call(z.object({ path: Path, name: FileName.optional(), passphrase: Passphrase.optional() }).strict(), KeyInfo),
  /** `ssh-keygen -p`; an empty new passphrase removes it. Hosts that saved the old passphrase for this key get the new one. */
  'keys.changePassphrase': call(z.object({ path: Path, oldPassphrase: Passphrase.optional(), newPassphrase: NewPassphrase }).strict(), KeyInfo),
  /** the public key line (`ssh-ed25519 AAAA… comment`) to copy */
  'keys.publicKey': call(z.object({ path: Path }).strict(), z.object({ line: z.string() })),
  /**
   * Appends the public key to the host's ~/.ssh/authorized_keys over its shared connection (creating
   * ~/.ssh 0700 and the file 0600; never a second line for the same key), then proves it with a fresh
   * login with that key alone. The passphrase unlocks the key for that login (else the user is asked).
   */
  'keys.deploy': call(z.object({ target: Target, path: Path, passphrase: Passphrase.optional(), options: KeyOptions.optional() }).strict(), DeployResult),

  /** the agent's identities; AGENT error (with how to start one) when none is running */
  'agent.list': call(empty, z.object({ socket: z.string(), identities: z.array(AgentIdentity) })),
  /** adds a key (and its -cert.pub) as `ssh-add [-t lifetime] [-c]` does */
  'agent.add': call(
    z
      .object({
        path: Path,
        passphrase: Passphrase.optional(),
        lifetimeSeconds: z
          .number()
          .int()
          .min(1)
          .max(365 * 86_400)
          .optional(),
        confirm: z.boolean().default(false),
      })
      .strict(),
    z.object({ added: z.array(AgentIdentity) }),
  ),
  /** removes every identity with this fingerprint (the key and its certificate), as `ssh-add -d` */
  'agent.remove': call(z.object({ fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }).strict(), ok),
  'agent.removeAll': call(empty, ok),
};

export const keysStreams = {
  /**
   * Rotates a saved host's key: generate a new key in Warren's folder, deploy it (with the options of
   * the old key's line), test a login with it alone, switch the host to it, remove the old key's line.
   * A `step` event as each step starts and ends, then `done`. A failed step stops the rotation: before
   * the switch, the new key's line is taken out again and the old key keeps working.
   */
  'keys.rotate': stream(
    z
      .object({ hostId: Id, ...KeySpec, name: FileName.optional() })
      .strict()
      .refine(bitsOk, bitsRule),
    RotateEvent,
  ),
};
