// Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms and PubkeyAcceptedAlgorithms as ssh reads them
// (kex_assemble_names() in OpenSSH's kex.c): `+list` appends to the defaults, `-list` removes what its
// patterns match from them, `^list` puts the list first, any other list replaces them; each name may be
// a pattern (`aes*-ctr`), matched against everything the implementation has. Pure: the lists are given.

import { matchPattern } from './lex.js';

/** the ssh_config keyword of each algorithm list, as ssh spells it in its messages */
export const ALGORITHM_KEYWORDS = {
  ciphers: 'Ciphers',
  macs: 'MACs',
  kexalgorithms: 'KexAlgorithms',
  hostkeyalgorithms: 'HostKeyAlgorithms',
  pubkeyacceptedalgorithms: 'PubkeyAcceptedAlgorithms',
} as const;
export type AlgorithmKeyword = keyof typeof ALGORITHM_KEYWORDS;

export interface AssembledList {
  /** what to offer, in order; empty when the value leaves nothing (ssh: "Bad SSH2 … spec") */
  list: string[];
  /** names the value gives (not patterns) that the implementation does not have: they are left out */
  unknown: string[];
  /** why the value cannot be read at all (a `!` negation, which ssh refuses here), else null */
  error: string | null;
}

const isPattern = (name: string) => /[*?]/.test(name);

/**
 * The list a value gives, applied to `defaults` (what is offered when the config says nothing) and
 * `all` (what is implemented, defaults included), as kex_assemble_names() does.
 */
export function assembleAlgorithms(value: string, defaults: readonly string[], all: readonly string[]): AssembledList {
  const names = (s: string) => s.split(',').filter((n) => n !== '');
  const known = new Set([...all, ...defaults]);
  const universe = [...all, ...defaults.filter((d) => !all.includes(d))];
  const v = value.trim();
  if (v === '') return { list: [...defaults], unknown: [], error: null };
  if (v.startsWith('-')) {
    const patterns = names(v.slice(1));
    return { list: defaults.filter((d) => !patterns.some((p) => matchPattern(d, p))), unknown: [], error: null };
  }
  const given = v.startsWith('+') || v.startsWith('^') ? names(v.slice(1)) : names(v);
  if (given.some((n) => n.startsWith('!'))) return { list: [], unknown: [], error: 'a negated name (!) is not allowed in an algorithm list' };
  const ordered = v.startsWith('+') ? [...defaults, ...given] : v.startsWith('^') ? [...given, ...defaults] : given;
  const list: string[] = [];
  for (const name of ordered) for (const a of universe) if (matchPattern(a, name) && !list.includes(a)) list.push(a);
  const unknown = given.filter((n) => !isPattern(n) && !known.has(n));
  return { list, unknown: [...new Set(unknown)], error: null };
}
