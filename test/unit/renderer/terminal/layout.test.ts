// The split-pane layout of a terminal tab: splitting (any nesting), closing (the sibling takes the
// space), the divider's ratio, every pane's rectangle, and which pane is next in each direction.
import { describe, expect, it } from 'vitest';
import {
  dividers,
  neighbour,
  paneIds,
  paneRects,
  removePane,
  setRatio,
  single,
  splitPane,
  type Layout,
} from '../../../../renderer/features/terminal/layout.js';

/** a | (b / c): a on the left half, b above c on the right */
function abc(): Layout {
  const ab = splitPane(single('a'), 'a', 'row', 'b', 's1');
  return splitPane(ab, 'b', 'column', 'c', 's2');
}

describe('layout', () => {
  it('a split keeps the pane on the left or top and puts the new one beside or below it', () => {
    const l = abc();
    expect(paneIds(l)).toEqual(['a', 'b', 'c']);
    const rects = paneRects(l);
    expect(rects.get('a')).toEqual({ x: 0, y: 0, w: 0.5, h: 1 });
    expect(rects.get('b')).toEqual({ x: 0.5, y: 0, w: 0.5, h: 0.5 });
    expect(rects.get('c')).toEqual({ x: 0.5, y: 0.5, w: 0.5, h: 0.5 });
  });

  it('nests as deep as asked, and the rectangles always tile the whole area', () => {
    let l = single('p0');
    for (let i = 1; i < 12; i++) l = splitPane(l, `p${i - 1}`, i % 2 ? 'row' : 'column', `p${i}`, `s${i}`);
    expect(paneIds(l)).toHaveLength(12);
    const area = [...paneRects(l).values()].reduce((sum, r) => sum + r.w * r.h, 0);
    expect(area).toBeCloseTo(1, 12);
    expect(paneRects(l).get('p11')!.w).toBeCloseTo(1 / 64, 12);
  });

  it('splitting a pane that is not there changes nothing', () => {
    const l = abc();
    expect(splitPane(l, 'zz', 'row', 'd', 's3')).toBe(l);
  });

  it('closing a pane gives its space to its sibling; the last pane closed leaves nothing', () => {
    const l = abc();
    const noB = removePane(l, 'b')!;
    expect(paneIds(noB)).toEqual(['a', 'c']);
    expect(paneRects(noB).get('c')).toEqual({ x: 0.5, y: 0, w: 0.5, h: 1 });
    const noA = removePane(l, 'a')!;
    expect(paneRects(noA).get('b')).toEqual({ x: 0, y: 0, w: 1, h: 0.5 });
    expect(removePane(removePane(noA, 'b')!, 'c')).toBeNull();
    expect(removePane(l, 'zz')).toBe(l);
  });

  it('a divider moves within bounds, and its split only', () => {
    const l = setRatio(abc(), 's1', 0.7);
    expect(paneRects(l).get('a')!.w).toBeCloseTo(0.7);
    expect(paneRects(l).get('b')!.h).toBeCloseTo(0.5);
    expect(paneRects(setRatio(l, 's1', 0.99)).get('a')!.w).toBeCloseTo(0.9);
    expect(paneRects(setRatio(l, 's2', -3)).get('b')!.h).toBeCloseTo(0.1);
    expect(paneRects(setRatio(l, 's2', Number.NaN)).get('b')!.h).toBeCloseTo(0.5);
    expect(setRatio(l, 'nope', 0.3)).toBe(l);
  });

  it('lists each split’s divider with the area it divides', () => {
    const d = dividers(setRatio(abc(), 's1', 0.6));
    expect(d).toEqual([
      { id: 's1', dir: 'row', ratio: 0.6, area: { x: 0, y: 0, w: 1, h: 1 } },
      { id: 's2', dir: 'column', ratio: 0.5, area: { x: 0.6, y: 0, w: 0.4, h: 1 } },
    ]);
    expect(dividers(single('a'))).toEqual([]);
  });

  it('finds the neighbour in each direction, and none at an edge', () => {
    const l = abc();
    expect(neighbour(l, 'a', 'right')).toBe('b');
    expect(neighbour(l, 'c', 'left')).toBe('a');
    expect(neighbour(l, 'b', 'down')).toBe('c');
    expect(neighbour(l, 'c', 'up')).toBe('b');
    expect(neighbour(l, 'a', 'left')).toBeNull();
    expect(neighbour(l, 'a', 'up')).toBeNull();
    expect(neighbour(l, 'b', 'right')).toBeNull();
    expect(neighbour(l, 'missing', 'right')).toBeNull();
  });

  it('prefers the neighbour that shares most of the edge', () => {
    // (a / b) | c with a short a: from c, left is b, which shares more of c's height
    const l = setRatio(splitPane(splitPane(single('a'), 'a', 'row', 'c', 's1'), 'a', 'column', 'b', 's2'), 's2', 0.3);
    expect(neighbour(l, 'c', 'left')).toBe('b');
    expect(neighbour(l, 'a', 'right')).toBe('c');
  });
});
