import { z } from 'zod';
import { Target } from './model.js';
import { call, stream } from './spec.js';

/**
 * The connection doctor's section of the contract. A run checks each hop of the way to a host in
 * order — DNS, TCP (or the jump host's channel, or the ProxyCommand), SSH banner, key exchange, host
 * key, authentication methods, each identity offered, key file permissions, the account name — and
 * reports every step with its verdict, timing and advice.
 */

export const DoctorStepId = z.enum(['dns', 'tcp', 'proxy', 'banner', 'kex', 'hostkey', 'methods', 'auth', 'keyfiles', 'account']);
export type DoctorStepId = z.infer<typeof DoctorStepId>;

/** `skip`: not checked, because an earlier step (or an earlier hop) failed */
export const DoctorStatus = z.enum(['pass', 'fail', 'warn', 'skip']);
export type DoctorStatus = z.infer<typeof DoctorStatus>;

/** One identity offered during authentication (a key file, an agent key, a password) and what came of it. */
export const AuthAttempt = z.object({
  label: z.string(),
  /** `partial`: accepted, but the server wants another method too; `failed`: accepted, but Warren could not use it (e.g. an encrypted key without its passphrase) */
  result: z.enum(['accepted', 'partial', 'refused', 'failed', 'not-tried']),
  note: z.string().nullable(),
});
export type AuthAttempt = z.infer<typeof AuthAttempt>;

export const DoctorStep = z.object({
  id: DoctorStepId,
  /** the host this step checks: a jump host of the chain, or the target (its label) */
  hop: z.string(),
  title: z.string(),
  status: DoctorStatus,
  ms: z.number(),
  /** what was found, in plain words */
  detail: z.string(),
  /** what to do about it; null when there is nothing to do */
  advice: z.string().nullable(),
  /** auth: every identity in the order offered */
  attempts: z.array(AuthAttempt).optional(),
  /** kex: the category without a common algorithm, and both sides' lists */
  algorithms: z.object({ category: z.string(), server: z.array(z.string()), warren: z.array(z.string()) }).optional(),
  /** keyfiles: private key files readable by others, which `doctor.fixKeyPermissions` sets to 0600 */
  fixable: z.array(z.string()).optional(),
});
export type DoctorStep = z.infer<typeof DoctorStep>;

export const DoctorReport = z.object({
  target: z.string(),
  /** true when every step passed */
  ok: z.boolean(),
  startedAt: z.number(),
  steps: z.array(DoctorStep),
  /** the whole report as plain text to copy, passwords and key material removed */
  text: z.string(),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

export const DoctorEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), step: DoctorStep }),
  z.object({ type: z.literal('report'), report: DoctorReport }),
]);
export type DoctorEvent = z.infer<typeof DoctorEvent>;

export const doctorCalls = {
  /** `chmod 600` of a private key file that a doctor run reported as readable by others (no other path is accepted) */
  'doctor.fixKeyPermissions': call(z.object({ path: z.string().min(1).max(4096) }).strict(), z.object({ path: z.string(), mode: z.string() })),
};

export const doctorStreams = {
  /**
   * Diagnoses the connection to a saved host or quick target: a `step` event as each check completes,
   * then the `report`. Never prompts, never accepts an unknown host key, and sends no password but
   * the host's saved one or `password` (tried on the target, never saved).
   */
  'doctor.run': stream(
    z
      .object({
        target: Target,
        password: z.string().min(1).max(4096).optional(),
        /** how long each phase (TCP, banner, key exchange, …) may take; default 10 s */
        timeoutMs: z.number().int().min(500).max(120_000).optional(),
      })
      .strict(),
    DoctorEvent,
  ),
};
