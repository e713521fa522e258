// The panes of one terminal tab: a binary tree whose leaves are panes (each its own shell) and whose
// inner nodes split their area in two, side by side (`row`) or one above the other (`column`), at a
// ratio. Pure: the tab reducer keeps one per tab, and the view lays every pane out flat from its
// rectangle, so splitting or closing a pane never remounts (and never restarts) another.

export type SplitDir = 'row' | 'column';
export type Direction = 'left' | 'right' | 'up' | 'down';

export type Layout = { kind: 'pane'; id: string } | { kind: 'split'; id: string; dir: SplitDir; ratio: number; a: Layout; b: Layout };

/** a rectangle as fractions of the tab's area: x, y from the top left, w, h its size */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** the smallest share of a split either side keeps when a divider is dragged */
export const MIN_RATIO = 0.1;
const UNIT: Rect = { x: 0, y: 0, w: 1, h: 1 };

export const single = (id: string): Layout => ({ kind: 'pane', id });

/** the panes, left to right and top to bottom as the tree orders them */
export function paneIds(l: Layout): string[] {
  return l.kind === 'pane' ? [l.id] : [...paneIds(l.a), ...paneIds(l.b)];
}

export function hasPane(l: Layout, id: string): boolean {
  return l.kind === 'pane' ? l.id === id : hasPane(l.a, id) || hasPane(l.b, id);
}

/**
 * `pane` split in two along `dir`: it keeps the left (or top) half and `newPane` takes the other, in a
 * split `splitId`. A pane that is not in the layout leaves it as it is.
 */
export function splitPane(l: Layout, pane: string, dir: SplitDir, newPane: string, splitId: string): Layout {
  if (l.kind === 'pane') return l.id === pane ? { kind: 'split', id: splitId, dir, ratio: 0.5, a: l, b: single(newPane) } : l;
  const a = splitPane(l.a, pane, dir, newPane, splitId);
  const b = a === l.a ? splitPane(l.b, pane, dir, newPane, splitId) : l.b;
  return a === l.a && b === l.b ? l : { ...l, a, b };
}

/** the layout without `pane` (its sibling takes the split's place); null when it was the only pane */
export function removePane(l: Layout, pane: string): Layout | null {
  if (l.kind === 'pane') return l.id === pane ? null : l;
  if (l.a.kind === 'pane' && l.a.id === pane) return l.b;
  if (l.b.kind === 'pane' && l.b.id === pane) return l.a;
  const a = removePane(l.a, pane);
  const b = a === l.a ? removePane(l.b, pane) : l.b;
  if (a === null) return b;
  if (b === null) return a;
  return a === l.a && b === l.b ? l : { ...l, a, b };
}

export const clampRatio = (r: number): number => (Number.isFinite(r) ? Math.max(MIN_RATIO, Math.min(1 - MIN_RATIO, r)) : 0.5);

/** split `splitId`'s divider at `ratio` (kept between MIN_RATIO and 1 − MIN_RATIO) */
export function setRatio(l: Layout, splitId: string, ratio: number): Layout {
  if (l.kind === 'pane') return l;
  if (l.id === splitId) {
    const r = clampRatio(ratio);
    return r === l.ratio ? l : { ...l, ratio: r };
  }
  const a = setRatio(l.a, splitId, ratio);
  const b = a === l.a ? setRatio(l.b, splitId, ratio) : l.b;
  return a === l.a && b === l.b ? l : { ...l, a, b };
}

/** a split's two halves */
function halves(l: Extract<Layout, { kind: 'split' }>, r: Rect): [Rect, Rect] {
  if (l.dir === 'row') {
    const w = r.w * l.ratio;
    return [
      { ...r, w },
      { ...r, x: r.x + w, w: r.w - w },
    ];
  }
  const h = r.h * l.ratio;
  return [
    { ...r, h },
    { ...r, y: r.y + h, h: r.h - h },
  ];
}

/** every pane's rectangle, as fractions of the tab's area */
export function paneRects(l: Layout, r: Rect = UNIT, out = new Map<string, Rect>()): Map<string, Rect> {
  if (l.kind === 'pane') out.set(l.id, r);
  else {
    const [ra, rb] = halves(l, r);
    paneRects(l.a, ra, out);
    paneRects(l.b, rb, out);
  }
  return out;
}

/** a split's divider: the split's own rectangle (what dragging measures against) and where its line is */
export interface Divider {
  id: string;
  dir: SplitDir;
  ratio: number;
  area: Rect;
}

export function dividers(l: Layout, r: Rect = UNIT, out: Divider[] = []): Divider[] {
  if (l.kind === 'split') {
    out.push({ id: l.id, dir: l.dir, ratio: l.ratio, area: r });
    const [ra, rb] = halves(l, r);
    dividers(l.a, ra, out);
    dividers(l.b, rb, out);
  }
  return out;
}

const EPS = 1e-9;
/** how much two ranges [a0, a1) and [b0, b1) overlap */
const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/**
 * The pane next to `from` in `direction`: of the panes that touch its edge on that side and share some
 * of its span, the one that shares most (then the one nearest its top, or left); null at the edge.
 */
export function neighbour(l: Layout, from: string, direction: Direction): string | null {
  const rects = paneRects(l);
  const r = rects.get(from);
  if (!r) return null;
  let best: { id: string; shared: number; offset: number } | null = null;
  for (const [id, o] of rects) {
    if (id === from) continue;
    let touches: boolean;
    let shared: number;
    let offset: number;
    if (direction === 'left' || direction === 'right') {
      touches = direction === 'right' ? Math.abs(o.x - (r.x + r.w)) < EPS : Math.abs(o.x + o.w - r.x) < EPS;
      shared = overlap(r.y, r.y + r.h, o.y, o.y + o.h);
      offset = Math.abs(o.y - r.y);
    } else {
      touches = direction === 'down' ? Math.abs(o.y - (r.y + r.h)) < EPS : Math.abs(o.y + o.h - r.y) < EPS;
      shared = overlap(r.x, r.x + r.w, o.x, o.x + o.w);
      offset = Math.abs(o.x - r.x);
    }
    if (!touches || shared < EPS) continue;
    if (!best || shared > best.shared + EPS || (Math.abs(shared - best.shared) < EPS && offset < best.offset)) best = { id, shared, offset };
  }
  return best?.id ?? null;
}
