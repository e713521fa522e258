import { z } from 'zod';
import { TerminalOverride } from './terminal-profile.js';

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, _ and -');

/** How a host proves who we are. `auto` tries agent, then key file, then password / keyboard-interactive. */
export const AuthMethod = z.enum(['auto', 'agent', 'key', 'password', 'keyboard-interactive']);
export type AuthMethod = z.infer<typeof AuthMethod>;

const Hostname = z
  .string()
  .trim()
  .min(1, 'a host name or address is needed')
  .max(253)
  .regex(/^[A-Za-z0-9._:%[\]-]+$/, 'a host name has only letters, digits, dots, dashes, colons (IPv6)');
const User = z
  .string()
  .trim()
  .min(1)
  .max(64)
  // `@` is allowed, as ssh allows it (`User dtownsend@mozilla.com`; in `user@host` the last @ splits, as in ssh)
  .regex(/^[^\s:/]+$/, 'a user name has no spaces, : or /');
const Port = z.number().int().min(1).max(65535);
const Name = z.string().trim().min(1, 'a name is needed').max(120);
const FilePath = z.string().trim().min(1).max(4096);

export const MAX_REMOTE_COMMAND = 4096;

/**
 * Settings a group gives to its hosts and a host may override. Every field is optional:
 * what a host leaves out it inherits from the nearest group that sets it, then from the defaults.
 */
export const HostSettings = z.object({
  user: User.optional(),
  port: Port.optional(),
  auth: AuthMethod.optional(),
  identityFile: FilePath.optional(),
  /** seconds between keepalives (ServerAliveInterval); 0 turns them off */
  keepaliveInterval: z.number().int().min(0).max(3600).optional(),
  /** keepalives without answer before the link is declared dead (ServerAliveCountMax) */
  keepaliveCountMax: z.number().int().min(1).max(100).optional(),
  /**
   * Jump hosts in OpenSSH's ProxyJump syntax: `bastion,alice@b2:2222`. A hop named like a saved host
   * is that host (its user, port, key and saved password), as OpenSSH looks hop names up in
   * ssh_config; any other hop is `[user@]host[:port]`. `none` turns an inherited chain off.
   */
  jump: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .refine((v) => v === 'none' || parseJumpSpec(v) !== null, 'a jump list is comma-separated [user@]host[:port] hops, or none')
    .optional(),
  /** OpenSSH ProxyCommand, run by /bin/sh with %h %p %r %% expanded; its stdin/stdout carry the connection */
  proxyCommand: z.string().trim().min(1).max(2000).optional(),
  /**
   * SFTP as another user (usually `root`): the SFTP server is started with `sudo -n -u USER` instead of
   * the sftp subsystem, so it needs a NOPASSWD sudoers rule for sftp-server. `none` turns an inherited one off.
   */
  sftpSudo: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'a user name such as root, or none')
    .optional(),
  /**
   * Agent forwarding, scoped (off by default; forwarding exposes keys to the server, which can use
   * them while you are logged in). The server never gets the real agent: Warren serves one that holds
   * only the keys named here. `none` (or absent) = off; `all` = every key of the agent; else a
   * comma-separated list of key fingerprints as `ssh-keygen -lf` prints them (`SHA256:abc,SHA256:def`).
   * A `confirm:` prefix (`confirm:SHA256:abc`, `confirm:all`) asks before each signature.
   */
  forwardAgent: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .refine((v) => v === 'none' || parseForwardAgent(v) !== null, 'none, all, or comma-separated SHA256:… fingerprints, optionally after confirm:')
    .optional(),
  /**
   * The host's colour (`#rrggbb`, lower case): its row, its tabs' stripe and its terminals' edge, so that
   * prod is red wherever it shows. A group gives it to its hosts; `none` turns an inherited one off. A
   * tab's own colour wins.
   */
  color: z
    .string()
    .regex(/^(#[0-9a-f]{6}|none)$/, 'a colour is #rrggbb (lower case), or none')
    .optional(),
  /**
   * What the app's terminals run instead of the login shell (`tmux new -A -s main`), with a terminal, as
   * ssh_config's RemoteCommand; `none` turns an inherited one off. Tunnels, files and `warren exec` ignore it.
   */
  remoteCommand: z
    .string()
    .trim()
    .min(1)
    .max(MAX_REMOTE_COMMAND, `a remote command is at most ${MAX_REMOTE_COMMAND} characters`)
    .refine((v) => !v.includes('\u0000'), 'a remote command cannot hold a NUL character')
    .optional(),
});
export type HostSettings = z.infer<typeof HostSettings>;
export type SettingKey = keyof HostSettings;
/** every setting a group gives and a host may override, in the order of HostSettings */
export const settingKeys = Object.keys(HostSettings.shape) as SettingKey[];

export const Group = z.object({
  id: Id,
  name: Name,
  parentId: Id.nullable(),
  defaults: HostSettings,
  /** the terminal settings its hosts (and subgroups) get unless they set their own */
  terminal: TerminalOverride.optional(),
});
export type Group = z.infer<typeof Group>;

/** A tag: one word (letters, digits, `_ . : / + -`), compared without case. */
export const Tag = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}_.:/+-]+$/u, 'a tag is one word: letters, digits, _ . : / + -');
/** A colour as `#rrggbb`. */
export const Color = z.string().regex(/^#[0-9a-f]{6}$/i, 'a colour is #rrggbb');

/** The fields of a host that are its own and never inherited: how the user finds and marks it. */
export const HostMarks = z.object({
  tags: z.array(Tag).max(32).optional(),
  notes: z.string().max(10_000).optional(),
  /** pinned to the top of the tree */
  favourite: z.boolean().optional(),
});

/** A host as it is stored: never a secret in it. */
export const Host = HostSettings.extend({
  id: Id,
  name: Name,
  groupId: Id.nullable(),
  hostname: Hostname,
  ...HostMarks.shape,
  /** its terminals' own settings, over its groups' and the app's */
  terminal: TerminalOverride.optional(),
});
export type Host = z.infer<typeof Host>;

/** A host as the renderer sees it: the stored fields plus whether secrets are saved for it. */
export const HostRecord = Host.extend({
  hasPassword: z.boolean(),
  hasPassphrase: z.boolean(),
  /** SHA-256 (hex) of the login banner the user chose not to be shown again; a changed banner is shown */
  bannerSeen: z.string().max(64).optional(),
  /**
   * Imported and kept linked: its connection settings are read from this ssh_config's Host `alias`
   * each time it connects (like ssh itself), not from the record; importing again without the link copies.
   */
  linked: z
    .object({ file: z.string().min(1).max(4096), alias: z.string().min(1).max(1024) })
    .strict()
    .optional(),
});
export type HostRecord = z.infer<typeof HostRecord>;

/** Loopback bind addresses: a tunnel bound elsewhere is reachable from the network (GatewayPorts). */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

export const TunnelKind = z.enum(['local', 'remote', 'dynamic']);
export type TunnelKind = z.infer<typeof TunnelKind>;

const BindAddress = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^(\*|[A-Za-z0-9._:%-]+)$/, 'a bind address is an IP address, a host name, or * for all interfaces');

/** What a user edits: `-L bind:port:dest:destPort`, `-R …`, `-D bind:port`. */
export const TunnelFields = z.object({
  name: Name,
  hostId: Id,
  kind: TunnelKind,
  bindAddress: BindAddress.default('127.0.0.1'),
  /** for a remote forward, 0 lets the server pick a port (as `ssh -R 0:…`); local and dynamic forwards name theirs */
  bindPort: z.number().int().min(0).max(65535),
  destHost: Hostname.optional(),
  destPort: Port.optional(),
  autoStart: z.boolean().default(false),
  /** the explicit choice to bind a non-loopback address, which exposes the port to the network */
  exposed: z.boolean().default(false),
  /** SOCKS5 username (dynamic only); the password is a secret */
  socksUser: User.optional(),
});
export type TunnelFields = z.infer<typeof TunnelFields>;

/** Problems in a tunnel's fields that a schema alone cannot express; empty when it is valid. */
export function tunnelProblems(t: Pick<TunnelFields, 'kind' | 'bindAddress' | 'bindPort' | 'destHost' | 'destPort' | 'exposed' | 'socksUser'>): string[] {
  const out: string[] = [];
  if (t.kind !== 'remote' && t.bindPort === 0) out.push(`a ${t.kind} forward needs a local port (1-65535); Warren can suggest a free one`);
  if (t.kind === 'dynamic') {
    if (t.destHost !== undefined || t.destPort !== undefined) out.push('a dynamic (SOCKS) forward has no destination: the SOCKS client names it');
  } else {
    if (t.destHost === undefined || t.destPort === undefined) out.push(`a ${t.kind} forward needs a destination host and port`);
    if (t.socksUser !== undefined) out.push('only a dynamic (SOCKS) forward has a SOCKS user');
  }
  if (!isLoopback(t.bindAddress) && !t.exposed) {
    out.push(`binding ${t.bindAddress} exposes the port to the network: confirm it explicitly (exposed), or bind 127.0.0.1`);
  }
  return out;
}

export const Tunnel = TunnelFields.extend({ id: Id, hasSocksPassword: z.boolean() });
export type Tunnel = z.infer<typeof Tunnel>;

export const Tree = z.object({
  groups: z.array(Group),
  hosts: z.array(HostRecord),
  tunnels: z.array(Tunnel),
  /** hosts connected to lately, most recent first */
  recent: z.array(Id).max(20),
  /** the colour the user chose for a tag (lower case); a tag without one gets a colour from its name */
  tagColors: z.record(z.string(), Color),
});
export type Tree = z.infer<typeof Tree>;

/** Where an effective setting came from. */
export const SettingSource = z.union([
  z.object({ kind: z.literal('host') }),
  z.object({ kind: z.literal('group'), groupId: Id, groupName: z.string() }),
  z.object({ kind: z.literal('default') }),
]);
export type SettingSource = z.infer<typeof SettingSource>;

export const ResolvedHost = z.object({
  hostname: z.string(),
  port: Port,
  user: z.string(),
  auth: AuthMethod,
  identityFile: z.string().nullable(),
  keepaliveInterval: z.number(),
  keepaliveCountMax: z.number(),
  jump: z.string().nullable(),
  proxyCommand: z.string().nullable(),
  /** the user SFTP runs as through sudo; null (or absent) for the normal sftp subsystem */
  sftpSudo: z.string().nullable().optional(),
  /** the forwardAgent setting (see HostSettings); null (or absent) when off */
  forwardAgent: z.string().nullable().optional(),
  /** the host's colour (see HostSettings); null (or absent) when it has none */
  color: z.string().nullable().optional(),
  /** what its terminals run instead of the login shell (see HostSettings); null (or absent) for the login shell */
  remoteCommand: z.string().nullable().optional(),
  sources: z.record(z.string(), SettingSource),
});
export type ResolvedHost = z.infer<typeof ResolvedHost>;

/** What a terminal (later: a tunnel, an SFTP pane) connects to: a saved host or a quick-connect target. */
export const Target = z.union([z.object({ hostId: Id }), z.object({ quick: z.object({ hostname: Hostname, port: Port.optional(), user: User.optional() }) })]);
export type Target = z.infer<typeof Target>;

/** A shell on the machine running Warren's main process (in browser mode: its server), not on an SSH host. */
export const LocalTarget = z.object({ local: z.literal(true) }).strict();
/** What a terminal opens: an SSH host's shell, or a local one. */
export const TerminalTarget = z.union([Target, LocalTarget]);
export type TerminalTarget = z.infer<typeof TerminalTarget>;
export const isLocal = (t: TerminalTarget): t is z.infer<typeof LocalTarget> => 'local' in t;

/**
 * What a name given to the `warren` command leads to: the saved host of that name (any case), else a
 * quick-connect target (`[user@]host[:port]`), else null.
 */
export function targetNamed(hosts: readonly { id: string; name: string }[], name: string): Target | null {
  const saved = hosts.find((h) => h.name.toLowerCase() === name.toLowerCase());
  if (saved) return { hostId: saved.id };
  const quick = parseQuickTarget(name);
  return quick ? { quick } : null;
}

/**
 * Parses what a user types in the quick-connect box: `host`, `user@host`, `host:port`,
 * `user@host:port`, `[v6addr]:port`, or `ssh://user@host:port`. Returns null when it is not one of those.
 */
export function parseQuickTarget(text: string): { hostname: string; port?: number; user?: string } | null {
  let s = text.trim();
  if (s.startsWith('ssh://')) s = s.slice(6).replace(/\/$/, '');
  if (s === '' || /\s/.test(s)) return null;
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
    if (!User.safeParse(user).success) return null;
  }
  let hostname = s;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    hostname = v6[1]!;
    if (v6[2] !== undefined) port = Number(v6[2]);
  } else if ((s.match(/:/g) ?? []).length === 1) {
    const [h, p] = s.split(':');
    hostname = h!;
    if (!/^\d+$/.test(p!)) return null;
    port = Number(p);
  }
  if (port !== undefined && !Port.safeParse(port).success) return null;
  if (!Hostname.safeParse(hostname).success) return null;
  const out: { hostname: string; port?: number; user?: string } = { hostname };
  if (port !== undefined) out.port = port;
  if (user !== undefined) out.user = user;
  return out;
}

/** What a forwardAgent setting exposes: every key or these fingerprints, and whether each signature asks first; null when off or not valid. */
export function parseForwardAgent(text: string | null | undefined): { keys: 'all' | string[]; confirm: boolean } | null {
  let s = (text ?? '').trim();
  if (s === '' || s === 'none') return null;
  const confirm = s.startsWith('confirm:');
  if (confirm) s = s.slice(8).trim();
  if (s === 'all') return { keys: 'all', confirm };
  const keys = s.split(',').map((k) => k.trim());
  return keys.every((k) => /^SHA256:[A-Za-z0-9+/]{43}$/.test(k)) ? { keys, confirm } : null;
}

/** The hops of a ProxyJump list, each `[user@]host[:port]` (or an ssh:// URI); null when one is not. */
export function parseJumpSpec(text: string): { hostname: string; port?: number; user?: string }[] | null {
  const hops = text.split(',').map((h) => parseQuickTarget(h));
  return hops.length > 0 && hops.every((h) => h !== null) ? (hops as { hostname: string; port?: number; user?: string }[]) : null;
}

export const Notice = z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() });
export type Notice = z.infer<typeof Notice>;
