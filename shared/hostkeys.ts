// The contract's host-keys section: after "REMOTE HOST IDENTIFICATION HAS CHANGED", the old key (from
// the known_hosts lines that hold it) beside the key the server presents now, and replacing the one by
// the other once the user has checked the new fingerprint out of band.
import { z } from 'zod';
import { Target } from './model.js';
import { call } from './spec.js';

/** `SHA256:` and 43 base64 characters, as `ssh-keygen -lf` prints it */
const Fingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/);

/** A host (or the jump host `hop` of its chain, by the label its error named) whose key changed. */
const HostKeyOf = z.object({ target: Target, hop: z.string().min(1).max(300).optional() }).strict();

export const StaleHostKey = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  fingerprint: Fingerprint,
  /** a `|1|salt|hash` entry */
  hashed: z.boolean(),
});
export type StaleHostKey = z.infer<typeof StaleHostKey>;

export const HostKeyChange = z.object({
  /** the known_hosts name: `host`, or `[host]:port` */
  name: z.string(),
  /** the key the server presents now (a name of printable ASCII: the server chose it) */
  keyType: z.string().regex(/^[\x21-\x7e]{1,64}$/),
  fingerprint: Fingerprint,
  /** how it was fetched: 'directly', 'through its ProxyCommand', 'through jump host X' */
  route: z.string(),
  /** the lines that hold another key of that type for the name */
  stale: z.array(StaleHostKey).min(1),
});
export type HostKeyChange = z.infer<typeof HostKeyChange>;

export const hostKeyCalls = {
  /** fetches the server's key afresh (no login) and finds the known_hosts lines it contradicts */
  'hostkeys.inspect': call(HostKeyOf, HostKeyChange),
  /** fetches the key again: if it is still `fingerprint`, the name leaves the stale lines and the key is recorded in the first one's file (atomically) */
  'hostkeys.replace': call(HostKeyOf.extend({ fingerprint: Fingerprint }).strict(), z.object({ file: z.string(), removed: z.array(StaleHostKey) })),
};
