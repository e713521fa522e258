import type { ResolvedHost, Tunnel } from './model.js';

/** Quotes one argument for a POSIX shell, only when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

const bracket = (address: string) => (address.includes(':') ? `[${address}]` : address);

/** The OpenSSH forward spec: `-L [bind:]port:host:hostport`, `-R …`, `-D [bind:]port`. */
export function forwardArgs(t: Pick<Tunnel, 'kind' | 'bindAddress' | 'bindPort' | 'destHost' | 'destPort'>): string[] {
  const flag = t.kind === 'local' ? '-L' : t.kind === 'remote' ? '-R' : '-D';
  const bind = `${bracket(t.bindAddress)}:${t.bindPort}`;
  return [flag, t.kind === 'dynamic' ? bind : `${bind}:${bracket(t.destHost ?? '')}:${t.destPort ?? ''}`];
}

/**
 * The `ssh` command line that does what Warren does for this host (and, with `forward`, this
 * tunnel: `-N` and ExitOnForwardFailure, as Warren fails a forward the server refuses). `jump` must
 * already be spelled out as `user@host:port` hops, since OpenSSH does not know Warren's host names.
 */
export function sshCommand(host: Omit<ResolvedHost, 'sources'>, forward?: Tunnel): string {
  const args = ['ssh'];
  if (forward) args.push('-N', ...forwardArgs(forward), '-o', 'ExitOnForwardFailure=yes');
  if (host.jump) args.push('-J', host.jump);
  else if (host.proxyCommand) args.push('-o', `ProxyCommand=${host.proxyCommand}`);
  if (host.port !== 22) args.push('-p', String(host.port));
  if (host.identityFile) args.push('-i', host.identityFile);
  if (host.keepaliveInterval > 0) args.push('-o', `ServerAliveInterval=${host.keepaliveInterval}`, '-o', `ServerAliveCountMax=${host.keepaliveCountMax}`);
  args.push(`${host.user}@${host.hostname}`);
  return args.map(shellQuote).join(' ');
}
