// What an SSH connection runs over when it is not a jump host's channel: a TCP socket of its own
// (NODELAY on, DNS and TCP failures named), or a ProxyCommand's stdin/stdout, run by /bin/sh as OpenSSH
// runs it, with %h %p %r %% expanded and the user and host names OpenSSH refuses refused first.
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { WarrenError } from '../../shared/errors.js';
import type { ConnectSpec, Transport } from './connect-spec.js';
import { dnsError, tcpError, tcpTimeoutError } from './errors.js';

/** Opens the TCP socket, naming the layer that failed: DNS, or TCP timed out / refused / unreachable. */
export async function openSocket(
  hostname: string,
  port: number,
  timeoutMs: number,
  log: (line: string) => void = () => {},
  /** the setting the timeout comes from (ConnectTimeout), named when it runs out */
  timeoutSetting?: string,
): Promise<net.Socket> {
  let address = hostname;
  if (net.isIP(hostname) === 0) {
    try {
      address = (await lookup(hostname)).address;
      log(`${hostname} resolves to ${address}`);
    } catch (e) {
      throw dnsError(hostname, (e as NodeJS.ErrnoException).code ?? 'unknown');
    }
  }
  return new Promise((resolve, reject) => {
    const started = Date.now();
    log(`Connecting to ${address} port ${port}…`);
    const sock = net.connect({ host: address, port, noDelay: true });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(tcpTimeoutError(hostname, address, port, timeoutMs, timeoutSetting));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      log(`TCP connection established in ${Date.now() - started} ms`);
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(tcpError(e, hostname, address, port));
    });
  });
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
    return new WarrenError(
      'BAD_REQUEST',
      `The host name ${JSON.stringify(spec.hostname)} has characters OpenSSH refuses in a host name (' \` " $ \\ ; & | < > ( ) { } , whitespace, control characters, or a leading -): correct the host\u2019s HostName.`,
      { field: 'hostname' },
    );
  }
  if (!validUser(spec.user)) {
    return new WarrenError(
      'BAD_REQUEST',
      `The user name ${JSON.stringify(spec.user)} has characters OpenSSH refuses in a user name (' \` " ; & | < > ( ) { }, control characters, a leading - or a \\ at the end): correct the host\u2019s user.`,
      { field: 'user' },
    );
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
export function runProxyCommand(command: string, spec: Pick<ConnectSpec, 'hostname' | 'port' | 'user'>): { stream: Transport; exited: Promise<WarrenError> } {
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
      resolve(
        new WarrenError(
          'PROXY',
          `The ProxyCommand \`${expanded}\` ${how} before the SSH login finished.${stderr.trim() ? ` It said: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`,
          { command: expanded, stderr: stderr.trim() },
        ),
      );
    child.once('error', (e) => done(`could not start (${e.message})`));
    // 'exit' can come before the last of stderr: wait for stderr to end, but not for a child the
    // command left running with it open
    child.once('exit', (code, signal) => {
      const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      if (child.stderr.readableEnded) return done(how);
      const timer = setTimeout(() => done(how), 250);
      child.stderr.once('close', () => {
        clearTimeout(timer);
        done(how);
      });
    });
  });
  return { stream, exited };
}
