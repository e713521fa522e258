import type { Group, HostRecord, Tree } from '../../../shared/model.js';

const isBoundary = (c: string | undefined) => c === undefined || /[\s\-_./@:,()[\]]/.test(c);

/**
 * How well `query` matches `text` (both in lower case): 0 when it does not; otherwise higher for a match at
 * the start, then at a word start, then anywhere, and for a scattered match (its letters in order,
 * as fzf finds them) by how many letters run together and start words.
 */
export function fuzzyScore(query: string, t: string, scattered = true): number {
  if (query === '') return 0;
  const at = t.indexOf(query);
  if (at >= 0) {
    const start = at === 0 ? 60 : isBoundary(t[at - 1]) ? 40 : 20;
    const whole = query.length === t.length ? 30 : 0;
    return 100 + start + whole - Math.min(at, 20) - Math.min(t.length - query.length, 20) * 0.5;
  }
  if (!scattered) return 0;
  let score = 0;
  let run = 0;
  let from = 0;
  for (const c of query) {
    const i = t.indexOf(c, from);
    if (i < 0) return 0;
    run = i === from && from > 0 ? run + 1 : 0;
    score += 1 + run * 3 + (isBoundary(t[i - 1]) ? 5 : 0) - Math.min(i - from, 10) * 0.2;
    from = i + 1;
  }
  return Math.max(score, 0.1);
}

export interface SearchHit {
  host: HostRecord;
  score: number;
  /** the host's groups, outermost first: "Production / Databases" */
  where: string;
}

/** Each group's path of names from the top ("Production / Databases"), by group id. */
export function groupPaths(groups: readonly Group[]): Map<string, string> {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const paths = new Map<string, string>();
  const pathOf = (id: string, depth = 0): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const g = byId.get(id);
    if (!g) return '';
    const up = g.parentId !== null && depth < 64 ? pathOf(g.parentId, depth + 1) : '';
    const path = up ? `${up} / ${g.name}` : g.name;
    paths.set(id, path);
    return path;
  };
  for (const g of groups) pathOf(g.id);
  return paths;
}

/** How much a match in each field counts: a host is found by its name first. */
const WEIGHTS = { name: 1, hostname: 0.9, tag: 0.85, user: 0.7, group: 0.6 };

interface Entry {
  host: HostRecord;
  where: string;
  /** the fields searched, in lower case */
  name: string;
  hostname: string;
  user: string;
  group: string;
  tags: string[];
}

/** What a search reads: every host with its fields in lower case, in name order (so that equal scores stay in it). */
export interface SearchIndex {
  entries: readonly Entry[];
}

/** Made once per tree, not per keystroke. */
export function searchIndex(tree: Pick<Tree, 'groups' | 'hosts'>, paths = groupPaths(tree.groups)): SearchIndex {
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  const entries = tree.hosts.map((host): Entry => {
    const where = host.groupId === null ? '' : (paths.get(host.groupId) ?? '');
    return {
      host,
      where,
      name: host.name.toLowerCase(),
      hostname: host.hostname.toLowerCase(),
      user: (host.user ?? '').toLowerCase(),
      group: where.toLowerCase(),
      tags: (host.tags ?? []).map((t) => t.toLowerCase()),
    };
  });
  return { entries: entries.sort((a, b) => collator.compare(a.host.name, b.host.name)) };
}

/** One word of a query: `#word` matches tags only. */
interface Term {
  text: string;
  tagOnly: boolean;
}

function termScore({ text, tagOnly }: Term, e: Entry): number {
  let best = 0;
  if (tagOnly) {
    for (const tag of e.tags) best = Math.max(best, fuzzyScore(text, tag));
    return best;
  }
  best = Math.max(
    fuzzyScore(text, e.name) * WEIGHTS.name,
    fuzzyScore(text, e.hostname, false) * WEIGHTS.hostname,
    e.user ? fuzzyScore(text, e.user, false) * WEIGHTS.user : 0,
    e.group ? fuzzyScore(text, e.group, false) * WEIGHTS.group : 0,
  );
  for (const tag of e.tags) best = Math.max(best, fuzzyScore(text, tag) * WEIGHTS.tag);
  return best;
}

/**
 * The hosts that match a query, best first. Each word of the query must match one of a host's name or
 * tags (fuzzy: its letters in order), or be part of its address, user or group path; case is ignored,
 * and `#word` matches tags only. Ties go by name.
 */
export function searchHosts(index: SearchIndex, query: string): SearchHit[] {
  const terms = query
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((t): Term => (t.startsWith('#') && t.length > 1 ? { text: t.slice(1), tagOnly: true } : { text: t, tagOnly: false }));
  if (terms.length === 0) return [];
  const hits: SearchHit[] = [];
  for (const e of index.entries) {
    let total = 0;
    for (const term of terms) {
      const score = termScore(term, e);
      if (score === 0) {
        total = 0;
        break;
      }
      total += score;
    }
    if (total > 0) hits.push({ host: e.host, score: total, where: e.where });
  }
  // a stable sort: equal scores keep the index's name order
  return hits.sort((a, b) => b.score - a.score);
}
