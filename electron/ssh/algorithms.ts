// ssh_config's Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms and PubkeyAcceptedAlgorithms for a name
// resolved through it, applied (+, -, ^, patterns: sshconfig/algorithms.ts) to what Warren offers and
// implements: ssh2's lists, the post-quantum key exchanges Warren adds, and the key types it signs with.
// A name Warren does not implement is left out and said; a list that leaves nothing is a CONFIG error.
import type { ConnectConfig } from 'ssh2';
import { WarrenError } from '../../shared/errors.js';
import { ssh2AlgorithmLists } from '../agent/ssh2-internals.js';
import { ALGORITHM_KEYWORDS, assembleAlgorithms, type AlgorithmKeyword } from '../sshconfig/algorithms.js';
import type { SshOptions } from './connect-spec.js';
import { KEX_OFFER } from './pq/kex.js';

/** the user key algorithms Warren offers (OpenSSH's order, less the security-key ones it cannot use) */
const PUBKEY_DEFAULT = [
  'ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
];
const PUBKEY_ALL = [...PUBKEY_DEFAULT, 'ssh-rsa-cert-v01@openssh.com', 'ssh-rsa', 'ssh-dss'];

const uniq = (xs: readonly string[]) => [...new Set(xs)];

function listsOf(k: AlgorithmKeyword): { defaults: readonly string[]; all: readonly string[] } {
  const l = ssh2AlgorithmLists;
  switch (k) {
    case 'ciphers':
      return { defaults: l.DEFAULT_CIPHER ?? [], all: l.SUPPORTED_CIPHER ?? [] };
    case 'macs':
      return { defaults: l.DEFAULT_MAC ?? [], all: l.SUPPORTED_MAC ?? [] };
    case 'kexalgorithms':
      return { defaults: KEX_OFFER, all: uniq([...KEX_OFFER, ...(l.SUPPORTED_KEX ?? [])]) };
    case 'hostkeyalgorithms':
      return { defaults: l.DEFAULT_SERVER_HOST_KEY ?? [], all: l.SUPPORTED_SERVER_HOST_KEY ?? [] };
    case 'pubkeyacceptedalgorithms':
      return { defaults: PUBKEY_DEFAULT, all: PUBKEY_ALL };
  }
}

export interface ConfiguredAlgorithms {
  /** the lists the config sets, assembled */
  lists: Partial<Record<AlgorithmKeyword, string[]>>;
  /** what is left out because Warren does not implement it, one line per keyword */
  notes: string[];
}

/** The config's algorithm lists for this name; throws CONFIG when one leaves nothing Warren can use. */
export function configuredAlgorithms(o: SshOptions | undefined): ConfiguredAlgorithms {
  const lists: ConfiguredAlgorithms['lists'] = {};
  const notes: string[] = [];
  for (const [k, value] of Object.entries(o?.algorithms ?? {}) as [AlgorithmKeyword, string][]) {
    const name = ALGORITHM_KEYWORDS[k];
    const { defaults, all } = listsOf(k);
    const r = assembleAlgorithms(value, defaults, all);
    if (r.error) throw new WarrenError('CONFIG', `ssh_config sets ${name} ${value}: ${r.error}.`, { keyword: name, value });
    if (r.unknown.length > 0) notes.push(`ssh_config's ${name} names ${r.unknown.join(', ')}, which Warren does not implement: left out`);
    if (r.list.length === 0)
      throw new WarrenError(
        'CONFIG',
        `ssh_config sets ${name} ${value}, which leaves nothing Warren can use${r.unknown.length > 0 ? ` (it does not implement ${r.unknown.join(', ')})` : ''}. Warren has: ${all.join(', ')}.`,
        { keyword: name, value, unknown: r.unknown },
      );
    lists[k] = r.list;
  }
  return { lists, notes };
}

/** PubkeyAcceptedAlgorithms, assembled: null when the config does not set it (every key type Warren can use) */
export function acceptedKeyAlgorithms(o: SshOptions | undefined): string[] | null {
  if (o?.algorithms?.pubkeyacceptedalgorithms === undefined) return null;
  try {
    return (
      configuredAlgorithms({ ...o, algorithms: { pubkeyacceptedalgorithms: o.algorithms.pubkeyacceptedalgorithms } }).lists.pubkeyacceptedalgorithms ?? null
    );
  } catch {
    return [];
  }
}

/** ssh2's `algorithms` with the config's lists in place of Warren's own */
export function withConfiguredAlgorithms(
  offer: NonNullable<ConnectConfig['algorithms']>,
  o: SshOptions | undefined,
  log: (line: string) => void,
): NonNullable<ConnectConfig['algorithms']> {
  const { lists } = configuredAlgorithms(o);
  const out = { ...offer } as Record<string, unknown>;
  const key = { ciphers: 'cipher', macs: 'hmac', kexalgorithms: 'kex', hostkeyalgorithms: 'serverHostKey' } as const;
  for (const [k, field] of Object.entries(key) as [keyof typeof key, string][]) {
    const list = lists[k];
    if (!list) continue;
    out[field] = list;
    log(`${ALGORITHM_KEYWORDS[k]} (ssh_config): ${list.join(', ')}`);
  }
  return out as NonNullable<ConnectConfig['algorithms']>;
}
