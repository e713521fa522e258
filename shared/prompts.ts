// The contract's prompts section: every question the main process asks the user (host keys, passwords,
// passphrases, keyboard-interactive, the vault, transfer conflicts, agent signatures), one stream.
import { z } from 'zod';
import { Id } from './model.js';
import { ConflictAnswer, ConflictPrompt } from './sftp.js';
import { call, empty, ok, stream } from './spec.js';

export const HostKeyPrompt = z.object({
  kind: z.literal('hostkey'),
  host: z.string(),
  port: z.number(),
  keyType: z.string(),
  /** `SHA256:…` exactly as `ssh-keygen -lf` prints it */
  fingerprint: z.string(),
  /** key types already known for this host under other algorithms, if any */
  otherKnownTypes: z.array(z.string()),
  /** key types known for this host that Warren cannot verify (ssh-ed448): the key is unknown to Warren, not changed */
  unsupportedKnownTypes: z.array(z.string()),
});
export const PasswordPrompt = z.object({
  kind: z.literal('password'),
  host: z.string(),
  user: z.string(),
  /** set when a saved password was refused */
  retry: z.boolean(),
});
export const PassphrasePrompt = z.object({ kind: z.literal('passphrase'), keyFile: z.string(), retry: z.boolean() });
export const KbdIntPrompt = z.object({
  kind: z.literal('keyboard-interactive'),
  host: z.string(),
  user: z.string(),
  name: z.string(),
  instructions: z.string(),
  prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
});
/**
 * The server's login banner (SSH_MSG_USERAUTH_BANNER: often a legal notice), shown as ssh prints it; the
 * login goes on meanwhile. `message` is the server's text: shown with its controls made visible.
 * Answered `{ accept: true, always }`: always = not again for this host while the text stays the same.
 */
export const BannerPrompt = z.object({
  kind: z.literal('banner'),
  host: z.string(),
  user: z.string(),
  message: z.string(),
  /** a saved host can remember it; a quick connect cannot */
  canRemember: z.boolean(),
});
export const VaultPrompt = z.object({ kind: z.literal('vault'), mode: z.enum(['create', 'unlock']), retry: z.boolean() });
/** A server Warren forwards its agent to wants a signature (forwardAgent with confirm:); answered `{ accept, always? }`. */
export const AgentSignPrompt = z.object({
  kind: z.literal('agent-sign'),
  /** the host the agent is forwarded to */
  host: z.string(),
  fingerprint: z.string(),
  comment: z.string(),
  /** the user the signature logs in as, when the data to sign is an SSH login; else null */
  user: z.string().nullable(),
});
export const Prompt = z.discriminatedUnion('kind', [
  HostKeyPrompt,
  PasswordPrompt,
  PassphrasePrompt,
  KbdIntPrompt,
  VaultPrompt,
  ConflictPrompt,
  AgentSignPrompt,
  BannerPrompt,
]);
export type Prompt = z.infer<typeof Prompt>;

export const PromptEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ask'), id: Id, prompt: Prompt, timeoutMs: z.number() }),
  /** answered, cancelled or timed out: the UI closes it */
  z.object({ type: z.literal('done'), id: Id }),
]);
export type PromptEvent = z.infer<typeof PromptEvent>;

export const PromptAnswer = z.union([
  z.object({ accept: z.boolean(), always: z.boolean().optional() }), // hostkey; agent-sign (always: for the rest of the connection); banner (always: not again)
  z.object({ value: z.string().max(4096), save: z.boolean().optional() }), // password, passphrase, vault
  z.object({ values: z.array(z.string().max(4096)).max(32) }), // keyboard-interactive
  ConflictAnswer, // conflict
  z.object({ cancel: z.literal(true) }),
]);
export type PromptAnswer = z.infer<typeof PromptAnswer>;

export const promptCalls = {
  'prompts.answer': call(z.object({ id: Id, answer: PromptAnswer }).strict(), ok),
};

export const promptStreams = {
  /** host-key, password, passphrase, keyboard-interactive and vault questions from the main process */
  'prompts.watch': stream(empty, PromptEvent),
};
