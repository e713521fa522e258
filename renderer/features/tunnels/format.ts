import type { Tunnel, TunnelKind } from '../../../shared/model.js';

export const kindLetter: Record<TunnelKind, string> = { local: 'L', remote: 'R', dynamic: 'D' };

export const kindTitle: Record<TunnelKind, string> = {
  local: 'Local forward (ssh -L): a port here reaches a destination through the server',
  remote: 'Remote forward (ssh -R): a port on the server reaches a destination from here',
  dynamic: 'Dynamic forward (ssh -D): a SOCKS5 proxy here that connects anywhere through the server',
};

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB": three significant digits at most, binary units. */
export function formatBytes(n: number): string {
  let value = n;
  let unit = 0;
  // the bounds are what the value rounds to: 1023.9 KiB is "1.00 MiB", 9.999 KiB "10.0 KiB" (not "1024 KiB", "10.00 KiB")
  while (value >= 1023.5 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const bracket = (address: string) => (address.includes(':') ? `[${address}]` : address);

/**
 * The forward as OpenSSH users read it: `127.0.0.1:5432 → db.internal:5432`, `SOCKS 127.0.0.1:1080`.
 * A port of 0 shows the port actually bound once there is one, else "auto".
 */
export function describeSpec(t: Pick<Tunnel, 'kind' | 'bindAddress' | 'bindPort' | 'destHost' | 'destPort'>, boundPort: number | null): string {
  const port = t.bindPort !== 0 ? t.bindPort : (boundPort ?? 'auto');
  const bind = `${bracket(t.bindAddress)}:${port}`;
  if (t.kind === 'dynamic') return `SOCKS ${bind}`;
  return `${bind} → ${bracket(t.destHost ?? '?')}:${t.destPort ?? '?'}`;
}

/** "5 s", "1 min 20 s" */
export function formatSeconds(s: number): string {
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
