// ssh2's and the socket's errors as WarrenErrors that name their layer and say what to do: DNS and
// TCP (openSocket), a login that failed or stalled (connect), and a channel the server would not
// open (jump hops, the doctor, tunnels, shells). Only the mapping lives here: which error to raise
// when (the host key's refusal first, the auth plan's, a ProxyCommand's exit) is connect.ts's.
import { WarrenError } from '../../shared/errors.js';
import { visible } from '../../shared/untrusted.js';
import { ssh2AlgorithmLists } from '../agent/ssh2-internals.js';
import { MAX_PRE_IDENT_BYTES, type PreIdent } from './ident.js';

type Where = { hostname: string; port: number };

// ---------------------------------------------------------------- DNS and TCP

export function dnsError(hostname: string, code: string): WarrenError {
  return new WarrenError('DNS', `The name ${hostname} does not resolve (${code}). Check the spelling, or your DNS / VPN if it is an internal name.`, {
    hostname,
    code,
  });
}

export function tcpTimeoutError(hostname: string, address: string, port: number, timeoutMs: number, setting?: string): WarrenError {
  const seconds = Math.round(timeoutMs / 1000);
  const within = setting ? `within ${seconds} s (ssh_config sets ${setting} ${seconds})` : `within ${seconds} s`;
  return new WarrenError(
    'TCP_TIMEOUT',
    `No answer from ${hostname}:${port} (${address}) ${within}. A firewall or security group may drop the traffic, the machine may be off, or the port may be wrong.`,
    { hostname, address, port },
  );
}

/** The socket's 'error' while connecting: refused, unreachable, timed out. */
export function tcpError(e: NodeJS.ErrnoException, hostname: string, address: string, port: number): WarrenError {
  const where = `${hostname}:${port}${address !== hostname ? ` (${address})` : ''}`;
  if (e.code === 'ECONNREFUSED') {
    return new WarrenError('TCP_REFUSED', `${where} refused the connection: nothing listens on port ${port}. Is sshd running, and is ${port} its port?`, {
      hostname,
      address,
      port,
    });
  }
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'EADDRNOTAVAIL') {
    return new WarrenError('TCP_UNREACHABLE', `There is no route to ${where} (${e.code}). Check your network or VPN.`, {
      hostname,
      address,
      port,
      code: e.code,
    });
  }
  if (e.code === 'ETIMEDOUT') {
    return new WarrenError('TCP_TIMEOUT', `Connecting to ${where} timed out. A firewall may drop the traffic, or the machine is off.`, {
      hostname,
      address,
      port,
    });
  }
  return new WarrenError('TCP_UNREACHABLE', `Connecting to ${where} failed: ${e.message}`, { hostname, address, port, code: e.code });
}

// ---------------------------------------------------------------- the login

/** `said`: what the server said first when it was not an SSH identification, quoted, its controls visible */
export function floodedError(s: Where, said: string): WarrenError {
  return new WarrenError(
    'NOT_SSH',
    `${s.hostname}:${s.port} sent ${MAX_PRE_IDENT_BYTES / 1024} KiB of text before any SSH identification line (it began "${said}"); an SSH server identifies itself first. Check the port: something else listens there, or it floods every client.`,
    { banner: said },
  );
}

export function notSshError(s: Where, said: string): WarrenError {
  return new WarrenError(
    'NOT_SSH',
    `${s.hostname}:${s.port} answered "${said}", which is not an SSH server's banner. Check the port: something else (a web server, a proxy) listens there.`,
    { banner: said },
  );
}

/**
 * ssh2's 'error' during the login, once the host key, the auth plan and the agent have had their say:
 * no common algorithm, not an SSH server, or the connection lost. `said`: what the server said instead
 * of an identification, when it did (notSshError's).
 */
/** the MACs OpenSSH has and ssh2 lacks */
const UMAC = ['umac-64-etm@openssh.com', 'umac-128-etm@openssh.com', 'umac-64@openssh.com', 'umac-128@openssh.com'];

export function loginError(err: Error, s: Where, said: string | null): WarrenError {
  // ssh2's message may be the server's own words (an SSH_MSG_DISCONNECT's text): its controls are made visible
  const m = visible(err.message);
  if (/^Handshake failed: no matching [CS]->[CS] MAC/.test(m)) {
    return new WarrenError(
      'HANDSHAKE',
      `The SSH key exchange with ${s.hostname} failed: no MAC in common for the cipher agreed on. Warren offers ${(ssh2AlgorithmLists.DEFAULT_MAC ?? []).join(', ')}; of OpenSSH's MACs it lacks only ${UMAC.join(', ')}, so the server's sshd_config probably allows only those. Add hmac-sha2-256-etm@openssh.com to its MACs line, or allow an AEAD cipher (chacha20-poly1305@openssh.com, aes256-gcm@openssh.com: they need no MAC) in Ciphers.`,
      { reason: m },
    );
  }
  if (/^Handshake failed/.test(m)) {
    return new WarrenError(
      'HANDSHAKE',
      `The SSH key exchange with ${s.hostname} failed: ${m.replace(/^Handshake failed: /, '')}. The server and Warren have no algorithm in common; the server's sshd_config (KexAlgorithms, Ciphers, MACs, HostKeyAlgorithms) decides what it offers.`,
      { reason: m },
    );
  }
  if (said !== null) return notSshError(s, said);
  if (/identification|greeting|Invalid header|expected newline/i.test(m)) {
    return new WarrenError(
      'NOT_SSH',
      `${s.hostname}:${s.port} answered, but not as an SSH server (${m}). Check the port: something else (a web server, a proxy) listens there.`,
      { reason: m },
    );
  }
  return new WarrenError('DISCONNECTED', `The connection to ${s.hostname}:${s.port} failed during login: ${m}`, { reason: m });
}

export function closedDuringLogin(s: Where): WarrenError {
  return new WarrenError('DISCONNECTED', `${s.hostname}:${s.port} closed the connection during login.`);
}

/** No login within the timeout: what got that far says which layer stalled. */
export function loginTimeoutError(s: Where, loginMs: number, kexDone: boolean, seen: PreIdent, said: string): WarrenError {
  const where = `${s.hostname}:${s.port}`;
  const t = `${Math.round(loginMs / 1000)} s`;
  if (kexDone) return new WarrenError('HANDSHAKE', `${where} finished the key exchange but not the login within ${t}.`);
  if (seen.ident !== null) {
    return new WarrenError(
      'HANDSHAKE',
      `${where} sent its SSH identification ("${visible(seen.ident.slice(0, 120))}"), then the key exchange stalled: no reply within ${t}. A proxy or firewall may hold the connection, or sshd is overloaded (its MaxStartups).`,
      { banner: seen.ident },
    );
  }
  if (seen.bytes > 0)
    return new WarrenError(
      'NOT_SSH',
      `${where} sent ${seen.bytes} bytes of text but no SSH identification within ${t} (it began "${said}"). Check the port: something else listens there.`,
      { banner: said },
    );
  return new WarrenError(
    'NOT_SSH',
    `${where} accepted the TCP connection but sent no SSH identification within ${t}. It may not be an SSH server, or a proxy or firewall holds the connection.`,
  );
}

// ---------------------------------------------------------------- channels

/** SSH_MSG_CHANNEL_OPEN_FAILURE's reason code 1 (RFC 4254 §5.1): sshd's AllowTcpForwarding no, PermitOpen, … */
export const ADMINISTRATIVELY_PROHIBITED = 1;

/** ssh2's error for a channel the server refused as administratively prohibited (SSH_MSG_CHANNEL_OPEN_FAILURE reason 1) */
export function isProhibitedOpen(e: unknown): boolean {
  return e instanceof Error && (e as { reason?: unknown }).reason === ADMINISTRATIVELY_PROHIBITED;
}

/** SSH_MSG_CHANNEL_OPEN_FAILURE's reason code 2 (RFC 4254 §5.1) */
const CONNECT_FAILED = 2;

/**
 * A session channel refused because the connection holds as many as the server allows: TinySSH says
 * administratively prohibited; OpenSSH at MaxSessions answers reason 2 (connect failed) with "open
 * failed" (its log says "no more sessions"). Only meaningful for a connection that already has sessions.
 */
export function isSessionLimit(e: unknown): boolean {
  if (isProhibitedOpen(e)) return true;
  return e instanceof Error && (e as { reason?: unknown }).reason === CONNECT_FAILED && /open failed/i.test(e.message);
}

export interface ChannelOpenFailure {
  /** the server's words, without the "(SSH) Channel open failure: " ssh2 puts before them */
  why: string;
  /**
   * - `prohibited`: reason 1, administratively prohibited: the server forbids it, not the network
   * - `refused`, `dns`, `timeout`, `unreachable` (`network-unreachable` when the server says "Network
   *   is unreachable"): the server tried to connect onward and failed, as its text says
   * - `other`: anything else; `why` says what
   */
  kind: 'prohibited' | 'refused' | 'dns' | 'timeout' | 'network-unreachable' | 'unreachable' | 'other';
}

/**
 * A channel the server would not open (ssh2's error for forwardOut, shell, exec, …), read once for
 * every caller; each says it in its own words. An error that is not a channel open failure keeps its
 * message as `why` (kind `other`, unless its text matches).
 */
export function channelOpenError(err: Error & { reason?: number | string }): ChannelOpenFailure {
  const why = err.message.replace('(SSH) Channel open failure: ', '');
  const m = why.toLowerCase();
  const kind: ChannelOpenFailure['kind'] =
    err.reason === ADMINISTRATIVELY_PROHIBITED
      ? 'prohibited'
      : m.includes('refused')
        ? 'refused'
        : /name or service|not known|resolve|getaddrinfo/.test(m)
          ? 'dns'
          : m.includes('timed out')
            ? 'timeout'
            : m.includes('network is unreachable')
              ? 'network-unreachable'
              : m.includes('unreachable') || m.includes('no route')
                ? 'unreachable'
                : 'other';
  return { why, kind };
}
