import { z } from 'zod';

/** The building blocks of the contract, shared by its feature sections (contract.ts, sftp.ts, …). */
export type CallSpec = { input: z.ZodType; output: z.ZodType };
export type StreamSpec = { params: z.ZodType; event: z.ZodType };
export const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
export const stream = <P extends z.ZodType, E extends z.ZodType>(params: P, event: E) => ({ params, event });

export const empty = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });
export const Bytes = z.instanceof(Uint8Array);

/** a password, passphrase or other secret on its way to the keychain/vault: never stored in settings, never sent back */
export const SecretField = z.string().min(1).max(4096);
