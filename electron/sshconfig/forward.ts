// LocalForward / RemoteForward / DynamicForward as readconf.c parse_forward() reads them and
// dump_cfg_forwards() prints them (`ssh -G`).
import { a2port, expand } from './lex.js';

/** A port of -2 means a unix socket path instead of host:port */
export interface Forward {
  listenHost?: string;
  listenPort: number;
  listenPath?: string;
  connectHost?: string;
  connectPort: number;
  connectPath?: string;
}

const SOCKET = -2;

/** parse_fwd_field(): one `:`-separated field; `[...]` brackets an address, `\` escapes, a `/` makes it a path */
function fields(spec: string): { arg: string; isPath: boolean }[] | undefined {
  const out: { arg: string; isPath: boolean }[] = [];
  let rest = spec.replace(/^\s+/, '');
  while (rest !== '' && out.length < 4) {
    if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      if (close < 0 || (rest[close + 1] !== ':' && close + 1 !== rest.length)) return undefined;
      const arg = rest.slice(1, close);
      out.push({ arg, isPath: arg.includes('/') });
      rest = rest.slice(close + 2);
      continue;
    }
    let arg = '';
    let i = 0;
    for (; i < rest.length && rest[i] !== ':'; i++) {
      if (rest[i] === '\\' && ++i === rest.length) return undefined;
      arg += rest[i];
    }
    out.push({ arg, isPath: arg.includes('/') });
    rest = rest.slice(i + 1);
  }
  return rest === '' ? out : undefined;
}

/** parse_forward(): `[listen_host:]port:host:hostport`, sockets, and for dynamic forwards `[listen_host:]port` */
export function parseForward(spec: string, dynamic: boolean, remote: boolean, services: ReadonlyMap<string, number>): Forward | undefined {
  const expanded = expand(spec, undefined, true);
  if ('error' in expanded) return undefined;
  const f = fields(expanded.value) ?? [];
  const port = (s: string): number => a2port(s, services);
  const [a, b, c, d] = f;
  let fwd: Forward | undefined;
  if (a && !b)
    fwd = a.isPath
      ? { listenPath: a.arg, listenPort: SOCKET, connectHost: 'socks', connectPort: 0 }
      : { listenPort: port(a.arg), connectHost: 'socks', connectPort: 0 };
  else if (a && b && !c) {
    if (a.isPath && b.isPath) fwd = { listenPath: a.arg, listenPort: SOCKET, connectPath: b.arg, connectPort: SOCKET };
    else if (b.isPath) fwd = { listenPort: port(a.arg), connectPath: b.arg, connectPort: SOCKET };
    else fwd = { listenHost: a.arg, listenPort: port(b.arg), connectHost: 'socks', connectPort: 0 };
  } else if (a && b && c && !d) {
    if (a.isPath) fwd = { listenPath: a.arg, listenPort: SOCKET, connectHost: b.arg, connectPort: port(c.arg) };
    else if (c.isPath) fwd = { listenHost: a.arg, listenPort: port(b.arg), connectPath: c.arg, connectPort: SOCKET };
    else fwd = { listenPort: port(a.arg), connectHost: b.arg, connectPort: port(c.arg) };
  } else if (a && b && c && d) fwd = { listenHost: a.arg, listenPort: port(b.arg), connectHost: c.arg, connectPort: port(d.arg) };
  if (!fwd) return undefined;
  const hasTarget = dynamic
    ? f.length <= 2
    : (f.length >= 3 || fwd.connectPath !== undefined || fwd.listenPath !== undefined) && (fwd.connectPort > 0 || fwd.connectPath !== undefined);
  const listens = (fwd.listenPort >= 0 || fwd.listenPath !== undefined) && (remote || fwd.listenPort !== 0);
  return hasTarget && listens ? fwd : undefined;
}

export const sameForward = (x: Forward, y: Forward): boolean =>
  x.listenHost === y.listenHost &&
  x.listenPort === y.listenPort &&
  x.listenPath === y.listenPath &&
  x.connectHost === y.connectHost &&
  x.connectPort === y.connectPort &&
  x.connectPath === y.connectPath;

/** The three `ssh -G` lists (socket paths through `path`, which expands their %tokens); a local forward to a socket path shows up as dynamic too, as ssh prints it */
export function formatForwards(
  local: Forward[],
  remote: Forward[],
  path: (p: string) => string,
): Record<'dynamicforward' | 'localforward' | 'remoteforward', string[]> {
  const end = (p: string | undefined, host: string | undefined, port: number): string =>
    port === SOCKET ? path(p ?? '') : host === undefined ? String(port) : `[${host}]:${port}`;
  const listen = (f: Forward): string => end(f.listenPath, f.listenHost, f.listenPort);
  const both = (f: Forward): string => `${listen(f)} ${end(f.connectPath, f.connectHost, f.connectPort)}`;
  return {
    dynamicforward: local.filter((f) => f.connectHost === undefined || f.connectHost === 'socks').map(listen),
    localforward: local.filter((f) => f.connectHost !== 'socks').map(both),
    remoteforward: remote.map(both),
  };
}
