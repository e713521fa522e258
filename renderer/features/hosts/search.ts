import type { Group, HostRecord, Tree } from '../../../shared/model.js';

const isBoundary = (c: string | undefined) => c === undefined || /[\s\-_./@:,()[\]]/.test(c);

/**
 * How well `query` (lower case) matches `text`: 0 when it does not; otherwise higher for a match at
 * the start, then at a word start, then anywhere, and for a scattered match (its letters in order,
 * as fzf finds them) by how many letters run together and start words.
 */
export function fuzzyScore(query: string, text: string, scattered = true): number {
  if (query === '') return 0;
  const t = text.toLowerCase();
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

/**
 * The hosts that match a query, best first. Each word of the query must match one of a host's name or
 * tags (fuzzy: its letters in order), or be part of its address, user or group path; case is ignored,
 * and `#word` matches tags only. Ties go by name.
 */
export function searchHosts(tree: Pick<Tree, 'groups' | 'hosts'>, query: string, paths = groupPaths(tree.groups)): SearchHit[] {
  const terms = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [];
  const hits: SearchHit[] = [];
  for (const host of tree.hosts) {
    const where = host.groupId === null ? '' : (paths.get(host.groupId) ?? '');
    let total = 0;
    for (const term of terms) {
      let best = 0;
      if (term.startsWith('#') && term.length > 1) {
        for (const tag of host.tags ?? []) best = Math.max(best, fuzzyScore(term.slice(1), tag));
      } else {
        best = Math.max(
          fuzzyScore(term, host.name) * WEIGHTS.name,
          fuzzyScore(term, host.hostname, false) * WEIGHTS.hostname,
          fuzzyScore(term, host.user ?? '', false) * WEIGHTS.user,
          where ? fuzzyScore(term, where, false) * WEIGHTS.group : 0,
          ...(host.tags ?? []).map((tag) => fuzzyScore(term, tag) * WEIGHTS.tag),
        );
      }
      if (best === 0) {
        total = 0;
        break;
      }
      total += best;
    }
    if (total > 0) hits.push({ host, score: total, where });
  }
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return hits.sort((a, b) => b.score - a.score || collator.compare(a.host.name, b.host.name));
}
