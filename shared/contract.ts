import { z } from 'zod';
import { AuthMethod, Group, HostRecord, HostSettings, Id, Notice, ResolvedHost, Target, Tree, Tunnel, TunnelFields, tunnelProblems } from './model.js';
import { WireError } from './errors.js';
import { Bytes, call, empty, ok, stream, type CallSpec, type StreamSpec } from './spec.js';
import { ConflictAnswer, ConflictPrompt, sftpCalls, sftpStreams } from './sftp.js';
import { doctorCalls, doctorStreams } from './doctor.js';
import { keysCalls, keysStreams } from './keys.js';

/**
 * The one contract between the renderer and the main process. Every request (`calls`) and every
 * event stream (`streams`) is declared here once; the client, the handlers and both transports
 * (Electron MessagePort, WebSocket) derive their types from it, and the server validates every
 * input against these schemas before a handler sees it.
 */


const SecretField = z.string().min(1).max(4096);

const HostInput = HostSettings.extend({
  name: z.string().trim().min(1).max(120),
  groupId: Id.nullable(),
  hostname: HostRecord.shape.hostname,
  /** a password to save in the keychain/vault; never stored in settings */
  password: SecretField.optional(),
  /** a key passphrase to save in the keychain/vault */
  passphrase: SecretField.optional(),
}).strict();

/** `null` in an update clears an override, so the host inherits that setting again. */
const HostPatch = z
  .object({
    name: z.string().trim().min(1).max(120),
    hostname: HostRecord.shape.hostname,
    /** moves the host (drag and drop, or the editor's group field) */
    groupId: Id.nullable(),
    user: HostSettings.shape.user.unwrap().nullable(),
    port: HostSettings.shape.port.unwrap().nullable(),
    auth: AuthMethod.nullable(),
    identityFile: HostSettings.shape.identityFile.unwrap().nullable(),
    keepaliveInterval: HostSettings.shape.keepaliveInterval.unwrap().nullable(),
    keepaliveCountMax: HostSettings.shape.keepaliveCountMax.unwrap().nullable(),
    jump: HostSettings.shape.jump.unwrap().nullable(),
    proxyCommand: HostSettings.shape.proxyCommand.unwrap().nullable(),
    sftpSudo: HostSettings.shape.sftpSudo.unwrap().nullable(),
    forwardAgent: HostSettings.shape.forwardAgent.unwrap().nullable(),
    /** a new password to save, or null to forget the saved one */
    password: SecretField.nullable(),
    passphrase: SecretField.nullable(),
  })
  .partial()
  .strict();

export const HostKeyPrompt = z.object({
  kind: z.literal('hostkey'),
  host: z.string(),
  port: z.number(),
  keyType: z.string(),
  /** `SHA256:…` exactly as `ssh-keygen -lf` prints it */
  fingerprint: z.string(),
  /** key types already known for this host under other algorithms, if any */
  otherKnownTypes: z.array(z.string()),
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
export const Prompt = z.discriminatedUnion('kind', [HostKeyPrompt, PasswordPrompt, PassphrasePrompt, KbdIntPrompt, VaultPrompt, ConflictPrompt, AgentSignPrompt]);
export type Prompt = z.infer<typeof Prompt>;

export const PromptEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ask'), id: Id, prompt: Prompt, timeoutMs: z.number() }),
  /** answered, cancelled or timed out: the UI closes it */
  z.object({ type: z.literal('done'), id: Id }),
]);
export type PromptEvent = z.infer<typeof PromptEvent>;

export const PromptAnswer = z.union([
  z.object({ accept: z.boolean(), always: z.boolean().optional() }), // hostkey; agent-sign (always: for the rest of the connection)
  z.object({ value: z.string().max(4096), save: z.boolean().optional() }), // password, passphrase, vault
  z.object({ values: z.array(z.string().max(4096)).max(32) }), // keyboard-interactive
  ConflictAnswer, // conflict
  z.object({ cancel: z.literal(true) }),
]);
export type PromptAnswer = z.infer<typeof PromptAnswer>;

export const ConnectionInfo = z.object({
  id: Id,
  label: z.string(),
  hostId: Id.nullable(),
  hostname: z.string(),
  port: z.number(),
  user: z.string(),
  sessions: z.number(),
  openedAt: z.number(),
  hostKey: z.object({ type: z.string(), fingerprint: z.string() }),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

export const TerminalEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), message: z.string() }),
  z.object({ type: z.literal('opened'), sessionId: Id, connectionId: Id, reused: z.boolean() }),
  z.object({ type: z.literal('data'), data: Bytes }),
  z.object({ type: z.literal('exit'), code: z.number().nullable(), signal: z.string().nullable() }),
  /** the connection dropped: the session waits, then reconnects (an `opened` follows, same sessionId) */
  z.object({ type: z.literal('reconnecting'), attempt: z.number(), nextRetryAt: z.number(), error: WireError }),
]);
export type TerminalEvent = z.infer<typeof TerminalEvent>;

/** What an ssh_config import did; nothing is dropped silently. */
export const ImportReport = z.object({
  groupId: Id,
  created: z.array(z.string()),
  updated: z.array(z.string()),
  /** hosts Warren could not take (e.g. a host name it does not accept), and why */
  skipped: z.array(z.object({ host: z.string(), why: z.string() })),
  tunnelsAdded: z.number(),
  /** every keyword a host sets that Warren does not apply, and why */
  notApplied: z.array(z.object({ host: z.string(), keyword: z.string(), value: z.string(), why: z.string() })),
  /** lines OpenSSH would reject or Warren cannot evaluate (Match exec, …) */
  problems: z.array(z.object({ file: z.string(), line: z.number(), keyword: z.string(), message: z.string() })),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['desktop', 'browser', 'cli']),
  dataDir: z.string(),
  secrets: z.object({ backend: z.enum(['keychain', 'vault']), detail: z.string() }),
  notices: z.array(Notice),
});
export type AppInfo = z.infer<typeof AppInfo>;

const TunnelInput = TunnelFields.extend({ socksPassword: SecretField.optional() })
  .strict()
  .superRefine((t, ctx) => tunnelProblems(t).forEach((message) => ctx.addIssue({ code: 'custom', message })));

/** `null` clears an optional field; the merged tunnel is checked again by the server */
const TunnelPatch = z
  .object({
    name: TunnelFields.shape.name,
    hostId: Id,
    kind: TunnelFields.shape.kind,
    bindAddress: TunnelFields.shape.bindAddress.unwrap(),
    bindPort: TunnelFields.shape.bindPort,
    destHost: TunnelFields.shape.destHost.unwrap().nullable(),
    destPort: TunnelFields.shape.destPort.unwrap().nullable(),
    autoStart: z.boolean(),
    exposed: z.boolean(),
    socksUser: TunnelFields.shape.socksUser.unwrap().nullable(),
    socksPassword: SecretField.nullable(),
  })
  .partial()
  .strict();

export const TunnelState = z.enum(['stopped', 'starting', 'up', 'reconnecting', 'failed']);
export type TunnelState = z.infer<typeof TunnelState>;

export const TunnelStatus = z.object({
  id: Id,
  state: TunnelState,
  /** reconnect attempt number while reconnecting, else 0 */
  attempt: z.number(),
  /** when the next reconnect attempt starts (epoch ms) */
  nextRetryAt: z.number().nullable(),
  /** why it failed, or why it is reconnecting */
  error: WireError.nullable(),
  /** up, but something is off (e.g. the destination refused the last connection) */
  warning: z.string().nullable(),
  /** the port actually bound (differs from the tunnel's when it asked for 0) */
  boundPort: z.number().nullable(),
  connections: z.number(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  /** bytes per second, in + out, over the last 60 seconds (oldest first) */
  history: z.array(z.number()),
  /** since when the current state holds (epoch ms) */
  since: z.number(),
});
export type TunnelStatus = z.infer<typeof TunnelStatus>;

const Cols = z.number().int().min(2).max(1000);
const Rows = z.number().int().min(1).max(500);


export const contract = {
  calls: {
    'app.info': call(empty, AppInfo),

    'tree.get': call(empty, Tree),
    'groups.create': call(z.object({ name: Group.shape.name, parentId: Id.nullable(), defaults: HostSettings.default({}) }).strict(), Group),
    /** `defaults` replaces the group's defaults as a whole; `parentId` moves the group (never into itself) */
    'groups.update': call(z.object({ id: Id, name: Group.shape.name.optional(), parentId: Id.nullable().optional(), defaults: HostSettings.optional() }).strict(), Group),
    /** a group that still holds hosts or groups is deleted only with `recursive` */
    'groups.delete': call(z.object({ id: Id, recursive: z.boolean().default(false) }).strict(), ok),
    'hosts.create': call(HostInput, HostRecord),
    'hosts.update': call(z.object({ id: Id, patch: HostPatch }).strict(), HostRecord),
    'hosts.delete': call(z.object({ id: Id }).strict(), ok),
    /** the effective settings of a host after group inheritance, and where each came from */
    'hosts.resolve': call(z.object({ id: Id }).strict(), ResolvedHost),
    /** imports an ssh_config (default ~/.ssh/config) into a group of its own; importing again updates it */
    'sshconfig.import': call(z.object({ file: z.string().trim().min(1).max(4096).optional() }).strict(), ImportReport),
    /** "copy as ssh command": the OpenSSH command line for this host, jump chain spelled out */
    'hosts.command': call(z.object({ id: Id }).strict(), z.object({ command: z.string() })),

    'prompts.answer': call(z.object({ id: Id, answer: PromptAnswer }).strict(), ok),

    'terminal.input': call(z.object({ sessionId: Id, data: z.string().max(1 << 20) }).strict(), ok),
    'terminal.resize': call(z.object({ sessionId: Id, cols: Cols, rows: Rows }).strict(), ok),
    /** the renderer has drawn this many bytes; the main process resumes a paused channel */
    'terminal.ack': call(z.object({ sessionId: Id, bytes: z.number().int().min(0).max(1 << 30) }).strict(), ok),
    /** "reconnect now" for a session waiting to reconnect */
    'terminal.reconnect': call(z.object({ sessionId: Id }).strict(), ok),
    /** the machine woke up or the network came back: every waiting terminal and tunnel retries now */
    'app.wake': call(empty, ok),

    'connections.list': call(empty, z.array(ConnectionInfo)),
    /** a connection's `ssh -v`-style session log (open, or recently closed); never holds secrets */
    'connections.log': call(z.object({ id: Id }).strict(), z.object({ lines: z.array(z.string()) })),

    'tunnels.create': call(TunnelInput, Tunnel),
    /** a running tunnel restarts with its new settings */
    'tunnels.update': call(z.object({ id: Id, patch: TunnelPatch }).strict(), Tunnel),
    'tunnels.delete': call(z.object({ id: Id }).strict(), ok),
    /** returns once the tunnel is up, failed, or reconnecting */
    'tunnels.start': call(z.object({ id: Id }).strict(), TunnelStatus),
    'tunnels.stop': call(z.object({ id: Id }).strict(), TunnelStatus),
    /** a local port that is free right now on that address, to offer when the chosen one is taken */
    'tunnels.freePort': call(z.object({ bindAddress: TunnelFields.shape.bindAddress.unwrap() }).strict(), z.object({ port: z.number() })),
    /** the equivalent OpenSSH command line: `ssh -N -L … host` */
    'tunnels.command': call(z.object({ id: Id }).strict(), z.object({ command: z.string() })),
    ...sftpCalls,
    ...doctorCalls,
    ...keysCalls,
  },
  streams: {
    /** whole tree, on subscribe and after every change */
    'tree.watch': stream(empty, Tree),
    /** host-key, password, passphrase, keyboard-interactive and vault questions from the main process */
    'prompts.watch': stream(empty, PromptEvent),
    /** open connections, on subscribe and after every change */
    'connections.watch': stream(empty, z.array(ConnectionInfo)),
    /** one terminal: the stream's life is the session's; unsubscribing closes the shell */
    'terminal.session': stream(z.object({ target: Target, cols: Cols, rows: Rows }).strict(), TerminalEvent),
    /** every tunnel's status: now, on every state change, and about once a second while traffic moves */
    'tunnels.watch': stream(empty, z.array(TunnelStatus)),
    ...sftpStreams,
    ...doctorStreams,
    ...keysStreams,
  },
} as const satisfies { calls: Record<string, CallSpec>; streams: Record<string, StreamSpec> };

export type Contract = typeof contract;
export type CallName = keyof Contract['calls'];
export type StreamName = keyof Contract['streams'];
/** what a caller may pass (before defaults are applied) */
export type CallInput<N extends CallName> = z.input<Contract['calls'][N]['input']>;
/** what a handler receives (after validation and defaults) */
export type CallArgs<N extends CallName> = z.output<Contract['calls'][N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract['calls'][N]['output']>;
export type StreamParams<N extends StreamName> = z.input<Contract['streams'][N]['params']>;
export type StreamArgs<N extends StreamName> = z.output<Contract['streams'][N]['params']>;
export type StreamEvent<N extends StreamName> = z.output<Contract['streams'][N]['event']>;
