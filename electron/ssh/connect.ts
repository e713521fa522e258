import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import path from 'node:path';
import { Duplex } from 'node:stream';
import ssh2, { type AuthenticationType, type Client, type ConnectConfig, type NegotiatedAlgorithms, type ParsedKey } from 'ssh2';
import type { Prompt, PromptAnswer } from '../../shared/prompts.js';
import { WarrenError } from '../../shared/errors.js';
import type { AuthMethod } from '../../shared/model.js';
import { certificateFor } from '../agent/certificates.js';
import { LoginAgent } from '../agent/client.js';
import { ForwardingAgent } from '../agent/forwarding.js';
import { KEY_FILE, readBounded } from '../files/read.js';
import { parseForwardAgent } from '../../shared/model.js';
import { addKnownHost, checkHostKey, fingerprintSHA256, keyTypeOf, knownKeyTypes, type HostKeyVerdict } from './knownhosts.js';
import { firstWords, MAX_PRE_IDENT_BYTES, textOf, watchIdentification } from './ident.js';
import { visible } from '../../shared/untrusted.js';

/** Asks the user something; rejects with NO_UI, PROMPT_TIMEOUT or CANCELLED. */
export interface Prompter {
  ask(prompt: Prompt): Promise<PromptAnswer>;
}

/** Where saved passwords/passphrases come from and go to (the keychain or the vault, per host). */
export interface SavedSecrets {
  get(kind: 'password' | 'passphrase'): Promise<string | null>;
  save(kind: 'password' | 'passphrase', value: string): Promise<void>;
}

export interface ConnectSpec {
  hostname: string;
  port: number;
  user: string;
  auth: AuthMethod;
  identityFile: string | null;
  keepaliveInterval: number;
  keepaliveCountMax: number;
  /** OpenSSH ProxyCommand: its stdio carries the connection instead of a TCP socket */
  proxyCommand: string | null;
  /** the forwardAgent setting (shared/model.ts): which agent keys shells on this connection may use; null/absent = off */
  forwardAgent?: string | null | undefined;
}

/** What the connection runs over when it is not a TCP socket of its own: a jump host's channel. */
export type Transport = Duplex & { destroy(): void };

export interface ConnectDeps {
  prompter: Prompter;
  secrets: SavedSecrets;
  /** known_hosts files read for trust (e.g. ~/.ssh/known_hosts); the last one is Warren's own, where accepted keys go */
  knownHostsFiles: string[];
  /** SSH_AUTH_SOCK, if an agent is running */
  agentSocket: string | undefined;
  /** home directory, for ~ in key paths and the default identities */
  home: string;
  /** an already open stream to the server (the previous hop's forwardOut channel) */
  sock?: Transport;
  connectTimeoutMs?: number;
  readyTimeoutMs?: number;
  onStatus?(message: string): void;
  /** the session log (`ssh -v` style): what happened, never a secret */
  log?(line: string): void;
  /** the server's login banner (SSH_MSG_USERAUTH_BANNER) as it sent it: whoever prints it makes its controls visible */
  onBanner?(message: string): void;
}

export interface Connected {
  client: Client;
  hostKey: { type: string; fingerprint: string };
}

// ssh2 is CommonJS: Node's ESM loader sees only its default export
const { Client: SshClient, utils } = ssh2;

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
const PASSWORD_TRIES = 3;

const expandHome = (p: string, home: string) => (p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p);

/** The key files a login offers: the host's IdentityFile, else OpenSSH's default identities in ~/.ssh. */
export function identityFiles(spec: Pick<ConnectSpec, 'identityFile'>, home: string): string[] {
  return spec.identityFile ? [expandHome(spec.identityFile, home)] : DEFAULT_IDENTITIES.map((n) => path.join(home, '.ssh', n));
}

/** Opens the TCP socket, naming the layer that failed: DNS, or TCP timed out / refused / unreachable. */
export async function openSocket(hostname: string, port: number, timeoutMs: number, log: (line: string) => void = () => {}): Promise<net.Socket> {
  let address = hostname;
  if (net.isIP(hostname) === 0) {
    try {
      address = (await lookup(hostname)).address;
      log(`${hostname} resolves to ${address}`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
      throw new WarrenError('DNS', `The name ${hostname} does not resolve (${code}). Check the spelling, or your DNS / VPN if it is an internal name.`, { hostname, code });
    }
  }
  return new Promise((resolve, reject) => {
    const started = Date.now();
    log(`Connecting to ${address} port ${port}…`);
    const sock = net.connect({ host: address, port, noDelay: true });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new WarrenError('TCP_TIMEOUT', `No answer from ${hostname}:${port} (${address}) within ${Math.round(timeoutMs / 1000)} s. A firewall or security group may drop the traffic, the machine may be off, or the port may be wrong.`, { hostname, address, port }));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      log(`TCP connection established in ${Date.now() - started} ms`);
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const where = `${hostname}:${port}${address !== hostname ? ` (${address})` : ''}`;
      if (e.code === 'ECONNREFUSED') {
        reject(new WarrenError('TCP_REFUSED', `${where} refused the connection: nothing listens on port ${port}. Is sshd running, and is ${port} its port?`, { hostname, address, port }));
      } else if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'EADDRNOTAVAIL') {
        reject(new WarrenError('TCP_UNREACHABLE', `There is no route to ${where} (${e.code}). Check your network or VPN.`, { hostname, address, port, code: e.code }));
      } else if (e.code === 'ETIMEDOUT') {
        reject(new WarrenError('TCP_TIMEOUT', `Connecting to ${where} timed out. A firewall may drop the traffic, or the machine is off.`, { hostname, address, port }));
      } else {
        reject(new WarrenError('TCP_UNREACHABLE', `Connecting to ${where} failed: ${e.message}`, { hostname, address, port, code: e.code }));
      }
    });
  });
}

/**
 * Connects and authenticates one SSH session. The host key is verified before any credential is
 * sent; every failure is a WarrenError naming its layer.
 */
export async function connect(spec: ConnectSpec, deps: ConnectDeps): Promise<Connected> {
  const refused = nameError(spec);
  if (refused) throw refused;
  const status = deps.onStatus ?? (() => {});
  const log = deps.log ?? (() => {});
  status(`Connecting to ${spec.hostname}:${spec.port}…`);
  log(`Warren connects to ${spec.user}@${spec.hostname}:${spec.port} (auth: ${spec.auth})`);
  // everything asynchronous happens before the transport opens: ssh2 must see all of its events
  const algorithms = await hostKeyAlgorithms(deps.knownHostsFiles, spec.hostname, spec.port);
  const proxy = deps.sock || spec.proxyCommand === null ? null : runProxyCommand(spec.proxyCommand, spec);
  if (deps.sock) log('Transport: a channel through the previous jump host');
  if (proxy) log(`Transport: ProxyCommand ${expandProxyCommand(spec.proxyCommand!, spec)}`);
  const sock = deps.sock ?? proxy?.stream ?? (await openSocket(spec.hostname, spec.port, deps.connectTimeoutMs ?? 15_000, log));
  const client = new SshClient();
  // the login must finish within loginMs, not counting the time a question waits for the user
  const loginMs = deps.readyTimeoutMs ?? 20_000;
  let settled = false;
  let timer: NodeJS.Timeout | null = null;
  let onTimeout = () => {};
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = settled ? null : setTimeout(() => onTimeout(), loginMs);
  };
  const disarm = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const patient: ConnectDeps = {
    ...deps,
    prompter: {
      ask: (p) => {
        disarm();
        return deps.prompter.ask(p).finally(arm);
      },
    },
  };
  const auth = new AuthPlan(spec, patient, log);
  let hostKey: Connected['hostKey'] | null = null;
  let hostKeyError: WarrenError | null = null;
  /** the key exchange finished (ssh2's 'handshake') */
  let kexDone = false;

  const config: ConnectConfig = {
    sock,
    username: spec.user,
    readyTimeout: 2 ** 31 - 1, // timed here instead (arm/disarm), so prompts do not count
    keepaliveInterval: spec.keepaliveInterval * 1000,
    keepaliveCountMax: spec.keepaliveCountMax,
    hostVerifier: ((key: Buffer, verify: (ok: boolean) => void) => {
      // the connection may have failed (timed out, closed) while the user was asked: then ssh2 is gone
      verifyHostKey(key, spec, patient, log)
        .then((k) => {
          hostKey = k;
          status(`Host key ${k.type} ${k.fingerprint} verified; authenticating as ${spec.user}…`);
          if (!settled) verify(true);
        })
        .catch((e: unknown) => {
          hostKeyError = e instanceof WarrenError ? e : new WarrenError('HOST_KEY_REJECTED', String(e));
          if (!settled) verify(false);
        });
    }) as unknown as ConnectConfig['hostVerifier'],
    authHandler: ((methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: (a: unknown) => void) => {
      auth.next(methodsLeft).then(
        (a) => {
          if (!settled) next(a);
        },
        (e: unknown) => {
          auth.fatal = e instanceof WarrenError ? e : new WarrenError('AUTH_FAILED', String(e));
          if (!settled) next(false);
        },
      );
    }) as unknown as ConnectConfig['authHandler'],
  };
  if (algorithms) config.algorithms = algorithms;
  const forward = parseForwardAgent(spec.forwardAgent);
  if (forward && !deps.agentSocket) log('Agent forwarding is on for this host, but no ssh-agent runs here: nothing is forwarded');
  if (forward && deps.agentSocket) {
    // not `agentForward: true` (that would forward to every channel): shells ask for it (terminals.ts)
    config.agent = new ForwardingAgent({ socket: deps.agentSocket, host: spec.hostname, policy: forward, ask: (p) => deps.prompter.ask(p), log });
    log(`Agent forwarding: ${forward.keys === 'all' ? 'every key of the agent' : forward.keys.join(', ')}${forward.confirm ? ', asking before each signature' : ''}`);
  }

  return new Promise<Connected>((resolve, reject) => {
    const fail = (e: WarrenError) => {
      if (settled) return;
      settled = true;
      disarm();
      client.end();
      sock.destroy();
      reject(e);
    };
    const where = `${spec.hostname}:${spec.port}`;
    const seen = watchIdentification(sock, (s) => {
      if (s.ident !== null) log(`Server banner: ${s.ident}${s.lines.length > 0 ? ` (after ${s.lines.length} other line(s), the first: ${textOf(s.lines[0]!)})` : ''}`);
      else if (s.flooded) {
        fail(new WarrenError('NOT_SSH', `${where} sent ${MAX_PRE_IDENT_BYTES / 1024} KiB of text before any SSH identification line (it began "${said()}"); an SSH server identifies itself first. Check the port: something else listens there, or it floods every client.`, { banner: said() }));
      }
    });
    /** what the server said first, when it was not an SSH identification: quoted, its controls visible */
    const said = () => visible(textOf(firstWords(seen) ?? '').slice(0, 120));
    client.on('handshake', (n: NegotiatedAlgorithms) => {
      kexDone = true;
      log(`Key exchange: ${n.kex}; host key algorithm ${n.serverHostKey}; cipher ${n.cs.cipher}${n.cs.mac ? `, MAC ${n.cs.mac}` : ''}; compression ${n.cs.compress}`);
    });
    client.on('banner', (message: string) => {
      log(`The server says: ${message.trim().slice(0, 500)}`);
      deps.onBanner?.(message);
    });
    client.once('ready', () => {
      if (settled) return;
      log(`Authenticated as ${spec.user}${auth.succeeded ? ` with ${auth.succeeded}` : ''}`);
      auth
        .commitSaves()
        .catch((e: unknown) => status(`Logged in, but the secret could not be saved: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          if (settled) return;
          settled = true;
          disarm();
          resolve({ client, hostKey: hostKey! });
        });
    });
    const notSsh = () =>
      firstWords(seen) !== null
        ? new WarrenError('NOT_SSH', `${where} answered "${said()}", which is not an SSH server's banner. Check the port: something else (a web server, a proxy) listens there.`, { banner: said() })
        : null;
    // ssh2 may emit several errors for one failure: keep listening, the first one decides
    client.on('error', (err: Error & { level?: string }) => {
      if (settled) return;
      log(`Error: ${err.message}`);
      if (hostKeyError) return fail(hostKeyError);
      if (auth.fatal) return fail(auth.fatal);
      // the agent failed one key (e.g. a denied confirmation): ssh2 goes on with the next one
      if (err.level === 'agent') return void auth.keyProblems.push(`ssh-agent: ${err.message}`);
      const m = err.message;
      if (err.level === 'client-authentication') return fail(auth.failure());
      if (/^Handshake failed/.test(m)) {
        return fail(new WarrenError('HANDSHAKE', `The SSH key exchange with ${spec.hostname} failed: ${m.replace(/^Handshake failed: /, '')}. The server and Warren have no algorithm in common; the server's sshd_config (KexAlgorithms, Ciphers, MACs, HostKeyAlgorithms) decides what it offers.`, { reason: m }));
      }
      const wrongServer = notSsh();
      if (wrongServer) return fail(wrongServer);
      if (/identification|greeting|Invalid header|expected newline/i.test(m)) {
        return fail(new WarrenError('NOT_SSH', `${spec.hostname}:${spec.port} answered, but not as an SSH server (${m}). Check the port: something else (a web server, a proxy) listens there.`, { reason: m }));
      }
      const lostIt = new WarrenError('DISCONNECTED', `The connection to ${spec.hostname}:${spec.port} failed during login: ${m}`, { reason: m });
      if (!proxy) return fail(lostIt);
      // a ProxyCommand that died explains the lost connection better than ssh2 can
      const late = new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000).unref());
      void Promise.race([proxy.exited, late]).then((why) => fail(why ?? lostIt));
    });
    client.once('close', () => {
      const reason = auth.fatal ?? hostKeyError ?? notSsh();
      if (reason || !proxy) return fail(reason ?? new WarrenError('DISCONNECTED', `${spec.hostname}:${spec.port} closed the connection during login.`));
      void proxy.exited.then((why) => fail(why));
    });
    onTimeout = () => {
      const s = `${Math.round(loginMs / 1000)} s`;
      log(`No login within ${s}`);
      fail(
        kexDone
          ? new WarrenError('HANDSHAKE', `${where} finished the key exchange but not the login within ${s}.`)
          : seen.ident !== null
            ? new WarrenError('HANDSHAKE', `${where} sent its SSH identification ("${visible(seen.ident.slice(0, 120))}"), then the key exchange stalled: no reply within ${s}. A proxy or firewall may hold the connection, or sshd is overloaded (its MaxStartups).`, { banner: seen.ident })
            : seen.bytes > 0
              ? new WarrenError('NOT_SSH', `${where} sent ${seen.bytes} bytes of text but no SSH identification within ${s} (it began "${said()}"). Check the port: something else listens there.`, { banner: said() })
              : new WarrenError('NOT_SSH', `${where} accepted the TCP connection but sent no SSH identification within ${s}. It may not be an SSH server, or a proxy or firewall holds the connection.`),
      );
    };
    arm();
    client.connect(config);
    // ssh2 reports each SSH_MSG_DISCONNECT as an error but one "by application" (11), whose text it drops: that one too, so the server's reason is told
    const handlers = (client as unknown as { _protocol: { _handlers: Record<string, (p: unknown, reason: number, text: string) => void> } })._protocol._handlers;
    const onDisconnect = handlers.DISCONNECT!;
    handlers.DISCONNECT = (p, reason, text) => {
      if (reason === 11 && text) client.emit('error', Object.assign(new Error(text), { code: reason }));
      onDisconnect(p, reason, text);
    };
  });
}

/**
 * Like OpenSSH: asks for the key types already known for this host first, so a known host is not
 * treated as unknown because the server happened to offer another type. Undefined: ssh2's defaults.
 */
export async function hostKeyAlgorithms(knownHostsFiles: string[], hostname: string, port: number): Promise<ConnectConfig['algorithms']> {
  const preferred = await knownKeyTypes(knownHostsFiles, hostname, port);
  if (preferred.length === 0) return undefined;
  const defaults = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  const expanded = preferred.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
  return { serverHostKey: [...new Set([...expanded, ...defaults])] as never };
}

/** OpenSSH 9.6's host name check (readconf.c ssh_valid_hostname): no leading -, no shell metacharacter, whitespace or control character. */
const validHostname = (s: string) => !s.startsWith('-') && !/['`"$\\;&<>|(){},\s\x00-\x1f\x7f-\x9f]/.test(s);

/** OpenSSH 9.6's user name check (readconf.c ssh_valid_ruser): no leading -, no control character or ' ` " ; & < > | ( ) { }, no - after whitespace, no \ at the end. */
const validUser = (s: string) => !s.startsWith('-') && !/['`";&<>|(){}\x00-\x1f\x7f-\x9f]|\s-|\\$/.test(s);

/**
 * Why a user or host name cannot be used, or null: Warren refuses the names OpenSSH refuses (since 9.6,
 * CVE-2023-51385), which in a ProxyCommand's %h and %r would be shell code.
 */
export function nameError(spec: Pick<ConnectSpec, 'hostname' | 'user'>): WarrenError | null {
  if (!validHostname(spec.hostname)) {
    return new WarrenError('BAD_REQUEST', `The host name ${JSON.stringify(spec.hostname)} has characters OpenSSH refuses in a host name (' \` " $ \\ ; & | < > ( ) { } , whitespace, control characters, or a leading -): correct the host\u2019s HostName.`, { field: 'hostname' });
  }
  if (!validUser(spec.user)) {
    return new WarrenError('BAD_REQUEST', `The user name ${JSON.stringify(spec.user)} has characters OpenSSH refuses in a user name (' \` " ; & | < > ( ) { }, control characters, a leading - or a \\ at the end): correct the host\u2019s user.`, { field: 'user' });
  }
  return null;
}

/** `value` as /bin/sh reads it literally where it stands in a command line: bare, inside '…' or inside "…" */
function shellQuote(value: string, where: 'bare' | 'single' | 'double'): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  if (where === 'double') return value.replace(/[$`"\\]/g, '\\$&');
  const quoted = value.replace(/'/g, `'\\''`);
  return where === 'single' ? quoted : `'${quoted}'`;
}

/**
 * Expands ProxyCommand's tokens as OpenSSH does: %h host, %p port, %r remote user, %% a percent sign;
 * unlike OpenSSH, %h and %r are also quoted for /bin/sh where they stand (bare, in '…' or in "…"),
 * so a name is never shell code.
 */
export function expandProxyCommand(command: string, spec: Pick<ConnectSpec, 'hostname' | 'port' | 'user'>): string {
  let out = '';
  let where: 'bare' | 'single' | 'double' = 'bare';
  let escaped = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    const token = c === '%' ? command[i + 1] : undefined;
    if (token === 'h' || token === 'r' || token === 'p' || token === '%') {
      i++;
      out += token === '%' ? '%' : token === 'p' ? String(spec.port) : shellQuote(token === 'h' ? spec.hostname : spec.user, where);
      escaped = false;
      continue;
    }
    out += c;
    if (escaped) escaped = false;
    else if (where === 'single') where = c === "'" ? 'bare' : where;
    else if (c === '\\') escaped = true;
    else if (c === "'" && where === 'bare') where = 'single';
    else if (c === '"') where = where === 'double' ? 'bare' : 'double';
  }
  return out;
}

/** Runs ProxyCommand with /bin/sh (as OpenSSH does); its stdout/stdin become the connection. */
export function runProxyCommand(command: string, spec: ConnectSpec): { stream: Transport; exited: Promise<WarrenError> } {
  const refused = nameError(spec);
  if (refused) throw refused;
  const expanded = expandProxyCommand(command, spec);
  const child = spawn('/bin/sh', ['-c', `exec ${expanded}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin }) as Transport;
  stream.on('close', () => child.kill());
  const exited = new Promise<WarrenError>((resolve) => {
    const done = (how: string) =>
      resolve(new WarrenError('PROXY', `The ProxyCommand \`${expanded}\` ${how} before the SSH login finished.${stderr.trim() ? ` It said: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`, { command: expanded, stderr: stderr.trim() }));
    child.once('error', (e) => done(`could not start (${e.message})`));
    child.once('exit', (code, signal) => done(signal ? `was killed by ${signal}` : `exited with status ${code}`));
  });
  return { stream, exited };
}

/** Why Warren refuses a revoked or a changed host key; for a changed one, the MITM warning and the `ssh-keygen -R` line that removes the old key. */
export function hostKeyRefusal(verdict: Extract<HostKeyVerdict, { status: 'revoked' | 'changed' }>, spec: Pick<ConnectSpec, 'hostname' | 'port'>, type: string, fingerprint: string): WarrenError {
  const name = spec.port === 22 ? spec.hostname : `[${spec.hostname}]:${spec.port}`;
  if (verdict.status === 'revoked') {
    return new WarrenError('HOST_KEY_REVOKED', `The ${type} host key of ${name} (${fingerprint}) is marked @revoked in ${verdict.file}:${verdict.line}. Warren will not connect. Ask the server's administrator for its current key.`, { fingerprint, file: verdict.file, line: verdict.line });
  }
  return new WarrenError(
    'HOST_KEY_CHANGED',
    `REMOTE HOST IDENTIFICATION HAS CHANGED for ${name}. The server now presents the ${type} key ${fingerprint}, but ${verdict.file}:${verdict.line} holds ${verdict.knownFingerprint}. Someone could be intercepting the connection (a man-in-the-middle attack), or the server was reinstalled. Nothing was sent to it. If you know the key changed legitimately, remove the old line (ssh-keygen -R "${name}" -f "${verdict.file}") and connect again.`,
    { fingerprint, knownFingerprint: verdict.knownFingerprint, file: verdict.file, line: verdict.line, name },
  );
}

async function verifyHostKey(key: Buffer, spec: ConnectSpec, deps: ConnectDeps, log: (line: string) => void): Promise<Connected['hostKey']> {
  const type = keyTypeOf(key);
  const fingerprint = fingerprintSHA256(key);
  const verdict = await checkHostKey(deps.knownHostsFiles, spec.hostname, spec.port, key);
  const name = spec.port === 22 ? spec.hostname : `[${spec.hostname}]:${spec.port}`;
  log(`Server host key: ${type} ${fingerprint}: ${verdict.status}${'file' in verdict ? ` (${verdict.file}:${verdict.line})` : ''}`);
  switch (verdict.status) {
    case 'known':
      return { type, fingerprint };
    case 'unknown': {
      const answer = await deps.prompter.ask({ kind: 'hostkey', host: spec.hostname, port: spec.port, keyType: type, fingerprint, otherKnownTypes: verdict.otherKnownTypes });
      if (!('accept' in answer) || !answer.accept) {
        throw new WarrenError('HOST_KEY_REJECTED', `You did not accept the ${type} host key ${fingerprint} of ${name}, so Warren did not connect.`, { fingerprint });
      }
      await addKnownHost(deps.knownHostsFiles.at(-1)!, spec.hostname, spec.port, key);
      log(`You accepted the host key; added to ${deps.knownHostsFiles.at(-1)}`);
      return { type, fingerprint };
    }
    default:
      throw hostKeyRefusal(verdict, spec, type, fingerprint);
  }
}

type Attempt = { label: string; result?: string };

/**
 * Decides, one step at a time, what to offer the server: first `none` (which makes the server list
 * the methods it accepts), then agent, keys, password and keyboard-interactive as the host's auth
 * setting allows. It records every attempt so a failure can say what was offered and what was tried.
 */
class AuthPlan {
  fatal: WarrenError | null = null;
  /** the attempt that logged in */
  succeeded: string | null = null;
  private offered: string[] = [];
  private readonly tried: Attempt[] = [];
  private readonly steps: (() => Promise<unknown>)[];
  private pendingSave: { kind: 'password' | 'passphrase'; value: string } | null = null;
  private current: Attempt | null = null;
  private passwordTries = 0;
  readonly keyProblems: string[] = [];

  constructor(
    private readonly spec: ConnectSpec,
    private readonly deps: ConnectDeps,
    private readonly log: (line: string) => void,
  ) {
    const a = spec.auth;
    const steps: (() => Promise<unknown>)[] = [async () => ({ type: 'none', username: spec.user })];
    if ((a === 'auto' || a === 'agent') && deps.agentSocket) steps.push(() => this.agent());
    if (a === 'auto' || a === 'key') {
      for (const f of identityFiles(spec, deps.home)) steps.push(() => this.keyFile(f, spec.identityFile !== null));
    }
    if (a === 'auto' || a === 'password' || a === 'keyboard-interactive') steps.push(() => this.interactive(a));
    this.steps = steps;
  }

  async next(methodsLeft: AuthenticationType[] | null): Promise<unknown> {
    if (methodsLeft && methodsLeft.join() !== this.offered.join()) this.log(`The server accepts: ${methodsLeft.join(', ')}`);
    if (methodsLeft) this.offered = methodsLeft;
    if (this.current && this.current.result === undefined) {
      this.current.result = 'refused';
      this.log(`${this.current.label}: refused`);
    }
    this.current = null;
    while (this.steps.length > 0) {
      const step = this.steps.shift()!;
      const attempt = await step();
      if (attempt) return attempt;
    }
    return false;
  }

  failure(): WarrenError {
    const offered = this.offered.length > 0 ? this.offered : ['(none listed)'];
    const tried = this.tried.map((t) => `${t.label}: ${t.result ?? 'refused'}`);
    const extra = this.keyProblems.length > 0 ? ` Key problems: ${this.keyProblems.join('; ')}.` : '';
    return new WarrenError(
      'AUTH_FAILED',
      `${this.spec.user}@${this.spec.hostname} refused every login Warren tried. The server accepts: ${offered.join(', ')}. Warren tried: ${tried.length > 0 ? tried.join('; ') : 'nothing it was allowed to (check the host\u2019s auth setting)'}.${extra} Check the user name, add the right key to the server\u2019s authorized_keys, or choose another auth method for this host.`,
      { offered, tried, keyProblems: this.keyProblems },
    );
  }

  /** saves a password/passphrase the user asked to save, once the login it was used for succeeded */
  async commitSaves(): Promise<void> {
    if (this.pendingSave) await this.deps.secrets.save(this.pendingSave.kind, this.pendingSave.value).catch(() => {});
  }

  private allows(method: string): boolean {
    return this.offered.includes(method);
  }

  private begin(label: string): Attempt {
    const a: Attempt = { label };
    this.tried.push(a);
    this.current = a;
    this.succeeded = label;
    this.log(`Trying ${label}…`);
    return a;
  }

  private async agent(): Promise<unknown> {
    if (!this.allows('publickey')) return null;
    const sock = this.deps.agentSocket!;
    // Warren's agent client: ssh2's, plus the certificates the agent holds
    const agent = new LoginAgent(sock);
    const count = await new Promise<number>((resolve) => {
      agent.getIdentities((err, keys) => resolve(err || !keys ? -1 : keys.length));
    });
    if (count <= 0) {
      this.tried.push({ label: 'ssh-agent', result: count === 0 ? 'the agent holds no keys' : `the agent at ${sock} did not answer` });
      return null;
    }
    this.begin(`ssh-agent (${count} key${count === 1 ? '' : 's'})`);
    return { type: 'agent', username: this.spec.user, agent };
  }

  private async keyFile(file: string, explicit: boolean): Promise<unknown> {
    if (!this.allows('publickey')) return null;
    let data: Buffer;
    try {
      data = await readBounded(file, KEY_FILE);
    } catch (e) {
      if (explicit) this.keyProblems.push((e as Error).message.replace(/\.$/, ''));
      return null;
    }
    let key = utils.parseKey(data);
    let retry = false;
    for (let i = 0; key instanceof Error && /passphrase/i.test(key.message) && i < PASSWORD_TRIES; i++) {
      const saved = i === 0 ? await this.deps.secrets.get('passphrase') : null;
      let passphrase = saved;
      if (passphrase === null) {
        const answer = await this.deps.prompter.ask({ kind: 'passphrase', keyFile: file, retry });
        if (!('value' in answer)) return null;
        passphrase = answer.value;
        if (answer.save) this.pendingSave = { kind: 'passphrase', value: answer.value };
      }
      key = utils.parseKey(data, passphrase);
      retry = true;
    }
    if (key instanceof Error) {
      this.keyProblems.push(`${file}: ${key.message}`);
      return null;
    }
    const parsed = (Array.isArray(key) ? key[0] : key) as ParsedKey;
    // an OpenSSH certificate beside the key (KEY-cert.pub) is offered first, then the key itself
    const cert = await certificateFor(file, parsed);
    if (cert) this.log(cert.note);
    if (cert && !cert.key) this.keyProblems.push(cert.note);
    if (cert?.key) {
      this.steps.unshift(async () => (this.begin(`key ${file} (${parsed.type})`), { type: 'publickey', username: this.spec.user, key: parsed }));
      this.begin(`certificate ${file}-cert.pub`);
      return { type: 'publickey', username: this.spec.user, key: cert.key };
    }
    this.begin(`key ${file} (${parsed.type})`);
    return { type: 'publickey', username: this.spec.user, key: parsed };
  }

  /**
   * Password and keyboard-interactive. A saved password is tried first; the user is asked (at most
   * three times, as OpenSSH does) when none is saved or it was refused. When the server accepts only
   * keyboard-interactive, a password answers its password prompt.
   */
  private async interactive(method: AuthMethod): Promise<unknown> {
    const usePassword = method !== 'keyboard-interactive' && this.allows('password');
    const useKbd = this.allows('keyboard-interactive');
    if (!usePassword && !useKbd) return null;
    if (this.passwordTries >= PASSWORD_TRIES) return null;
    this.passwordTries++;
    // come back here after this attempt, for the next try
    this.steps.unshift(() => this.interactive(method));
    if (usePassword || method === 'password') {
      const password = await this.password();
      if (password === null) return null;
      if (usePassword) {
        this.begin('password');
        return { type: 'password', username: this.spec.user, password };
      }
      this.begin('keyboard-interactive (password)');
      return { type: 'keyboard-interactive', username: this.spec.user, prompt: kbdAnswer(() => Promise.resolve(Array(8).fill(password) as string[])) };
    }
    this.begin('keyboard-interactive');
    return {
      type: 'keyboard-interactive',
      username: this.spec.user,
      prompt: kbdAnswer(async (name, instructions, prompts) => {
        const answer = await this.deps.prompter.ask({ kind: 'keyboard-interactive', host: this.spec.hostname, user: this.spec.user, name, instructions, prompts });
        if (!('values' in answer)) throw new WarrenError('CANCELLED', 'Keyboard-interactive login was cancelled.');
        return answer.values;
      }),
    };
  }

  private async password(): Promise<string | null> {
    const first = this.passwordTries === 1;
    if (first) {
      const saved = await this.deps.secrets.get('password');
      if (saved !== null) return saved;
    }
    const answer = await this.deps.prompter.ask({ kind: 'password', host: this.spec.hostname, user: this.spec.user, retry: !first });
    if (!('value' in answer)) return null;
    this.pendingSave = answer.save ? { kind: 'password', value: answer.value } : this.pendingSave;
    return answer.value;
  }
}

type KbdAsk = (name: string, instructions: string, prompts: { prompt: string; echo: boolean }[]) => Promise<string[]>;

export function kbdAnswer(ask: KbdAsk) {
  return (name: string, instructions: string, _lang: string, prompts: { prompt: string; echo?: boolean }[], finish: (answers: string[]) => void) => {
    if (prompts.length === 0) return finish([]);
    ask(name, instructions, prompts.map((p) => ({ prompt: p.prompt, echo: p.echo === true })))
      .then((values) => finish(prompts.map((_, i) => values[i] ?? '')))
      .catch(() => finish([]));
  };
}
