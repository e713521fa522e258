// The command palette's model: what can be run, and how a query ranks it. Pure, so it is unit-tested.
import { fuzzyScore } from '../hosts/search.js';

export type CommandKind = 'host' | 'local' | 'files' | 'doctor' | 'tunnel' | 'snippet' | 'view' | 'setting';

export interface Command {
  /** stable across sessions: what "recent" remembers */
  id: string;
  kind: CommandKind;
  title: string;
  /** shown beside the title and searched too (an address, a group, a state) */
  detail?: string;
  run(): void;
}

/** at most this many rows are drawn; a query narrows the rest */
export const SHOWN = 50;
/** ids remembered as recent */
export const RECENT_MAX = 20;

/**
 * With no query: the recent commands first, most recent first, then the rest in their order. With a
 * query: by fuzzy score of the title (the detail counts for less), a recent command ahead of an equal one.
 */
export function rank(commands: readonly Command[], query: string, recent: readonly string[]): Command[] {
  const q = query.trim().toLowerCase();
  const recency = new Map(recent.map((id, i) => [id, recent.length - i]));
  if (q === '') {
    const first = recent.flatMap((id) => commands.filter((c) => c.id === id));
    return [...first, ...commands.filter((c) => !recency.has(c.id))].slice(0, SHOWN);
  }
  const scored: { c: Command; score: number }[] = [];
  for (const c of commands) {
    const title = fuzzyScore(q, c.title.toLowerCase());
    const detail = c.detail ? fuzzyScore(q, c.detail.toLowerCase(), false) * 0.6 : 0;
    const score = Math.max(title, detail);
    if (score > 0) scored.push({ c, score: score + (recency.get(c.id) ?? 0) * 0.5 });
  }
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, SHOWN).map((s) => s.c);
}

/** `recent` with `id` in front, once, at most RECENT_MAX long */
export function remember(recent: readonly string[], id: string): string[] {
  return [id, ...recent.filter((x) => x !== id)].slice(0, RECENT_MAX);
}
