import { z } from 'zod';
import { Group, HostRecord, HostSettings, Id, Notice, ResolvedHost, Tree } from './model.js';
import { call, empty, ok, SecretField, stream, type CallSpec, type StreamSpec } from './spec.js';
import { connectionCalls, connectionStreams } from './connections.js';
import { promptCalls, promptStreams } from './prompts.js';
import { terminalCalls, terminalStreams } from './terminal.js';
import { tunnelCalls, tunnelStreams } from './tunnels.js';
import { sftpCalls, sftpStreams } from './sftp.js';
import { doctorCalls, doctorStreams } from './doctor.js';
import { keysCalls, keysStreams } from './keys.js';

/**
 * The one contract between the renderer and the main process. Every request (`calls`) and every
 * event stream (`streams`) is declared here once — the app, tree and hosts here, each other feature in
 * its own section (prompts, connections, terminal, tunnels, sftp, doctor, keys) — and the client, the
 * handlers and both transports (Electron MessagePort, WebSocket) derive their types from it; the server
 * validates every input against these schemas before a handler sees it.
 */

const HostInput = HostSettings.extend({
  name: z.string().trim().min(1).max(120),
  groupId: Id.nullable(),
  hostname: HostRecord.shape.hostname,
  /** a password to save in the keychain/vault; never stored in settings */
  password: SecretField.optional(),
  /** a key passphrase to save in the keychain/vault */
  passphrase: SecretField.optional(),
}).strict();

/** Every host setting, `null` clearing the override so the host inherits it again: a new setting in HostSettings appears here by itself. */
const clearable = Object.fromEntries(Object.entries(HostSettings.shape).map(([key, schema]) => [key, schema.unwrap().nullable()])) as {
  [K in keyof typeof HostSettings.shape]: z.ZodNullable<ReturnType<(typeof HostSettings.shape)[K]['unwrap']>>;
};

/** `null` in an update clears an override, so the host inherits that setting again. */
const HostPatch = z
  .object({
    name: z.string().trim().min(1).max(120),
    hostname: HostRecord.shape.hostname,
    /** moves the host (drag and drop, or the editor's group field) */
    groupId: Id.nullable(),
    ...clearable,
    /** a new password to save, or null to forget the saved one */
    password: SecretField.nullable(),
    passphrase: SecretField.nullable(),
  })
  .partial()
  .strict();

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

export const contract = {
  calls: {
    'app.info': call(empty, AppInfo),

    'tree.get': call(empty, Tree),
    'groups.create': call(z.object({ name: Group.shape.name, parentId: Id.nullable(), defaults: HostSettings.default({}) }).strict(), Group),
    /** `defaults` replaces the group's defaults as a whole; `parentId` moves the group (never into itself) */
    'groups.update': call(
      z.object({ id: Id, name: Group.shape.name.optional(), parentId: Id.nullable().optional(), defaults: HostSettings.optional() }).strict(),
      Group,
    ),
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

    /** the machine woke up or the network came back: every waiting terminal and tunnel retries now */
    'app.wake': call(empty, ok),

    ...promptCalls,
    ...terminalCalls,
    ...connectionCalls,
    ...tunnelCalls,
    ...sftpCalls,
    ...doctorCalls,
    ...keysCalls,
  },
  streams: {
    /** whole tree, on subscribe and after every change */
    'tree.watch': stream(empty, Tree),
    ...promptStreams,
    ...connectionStreams,
    ...terminalStreams,
    ...tunnelStreams,
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
