// A pane's selection: click, Ctrl/Cmd-click, Shift-click ranges, the arrow keys, Ctrl+A and Escape.
// useSelection is a hook whose whole logic is useState updates, so React's useState is replaced by
// test/unit/renderer/hooks.ts (no DOM, no renderer): `render()` is the next render after an event.
import type { KeyboardEvent, MouseEvent } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Entry } from '../../../../shared/sftp.js';
import { useSelection } from '../../../../renderer/features/sftp/selection.js';
import { entry } from '../fixtures.js';
import { mount } from '../hooks.js';

vi.mock('react', async () => (await import('../hooks.js')).fakeReact);

const click = (mods: { shiftKey?: boolean; ctrlKey?: boolean; metaKey?: boolean } = {}) =>
  ({ shiftKey: false, ctrlKey: false, metaKey: false, ...mods }) as MouseEvent;
let prevented = 0;
const key = (k: string, mods: { ctrlKey?: boolean; metaKey?: boolean } = {}) =>
  ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, ...mods, preventDefault: () => void prevented++ }) as unknown as KeyboardEvent;

const files = ['a', 'b', 'c', 'd', 'e'].map((n) => entry(n));
let entries: Entry[];
let path: string | undefined;
let pane: { render(): ReturnType<typeof useSelection> };
const on = (name: string) => entries.find((e) => e.name === name)!;
const selected = () => [...pane.render().selected].sort();
const chosen = () => pane.render().chosen.map((e) => e.name);

beforeEach(() => {
  entries = files;
  path = '/srv';
  prevented = 0;
  pane = mount(() => useSelection(entries, path));
});

describe('selection by mouse', () => {
  it('starts with nothing selected', () => {
    expect(selected()).toEqual([]);
    expect(pane.render().cursor).toBeNull();
  });

  it('a click selects that entry alone', () => {
    pane.render().click(on('b'), click());
    pane.render().click(on('d'), click());
    expect(selected()).toEqual(['d']);
    expect(pane.render().cursor).toBe('d');
  });

  it('Ctrl-click (Cmd-click on macOS) adds an entry, and removes it the second time', () => {
    pane.render().click(on('a'), click());
    pane.render().click(on('c'), click({ ctrlKey: true }));
    pane.render().click(on('e'), click({ metaKey: true }));
    expect(selected()).toEqual(['a', 'c', 'e']);
    pane.render().click(on('c'), click({ ctrlKey: true }));
    expect(selected()).toEqual(['a', 'e']);
  });

  it('Shift-click selects the range from the last clicked entry, in either direction', () => {
    pane.render().click(on('b'), click());
    pane.render().click(on('d'), click({ shiftKey: true }));
    expect(chosen()).toEqual(['b', 'c', 'd']);
    // the anchor stays: a second Shift-click above it makes the range from there
    pane.render().click(on('a'), click({ shiftKey: true }));
    expect(chosen()).toEqual(['a', 'b']);
    expect(pane.render().cursor).toBe('b');
  });

  it('Shift-click on the anchor itself selects just it', () => {
    pane.render().click(on('c'), click());
    pane.render().click(on('c'), click({ shiftKey: true }));
    expect(selected()).toEqual(['c']);
  });

  it('Shift-click with nothing clicked before is a plain click', () => {
    pane.render().click(on('c'), click({ shiftKey: true }));
    expect(selected()).toEqual(['c']);
  });

  it('Shift-click after the anchor was deleted ranges from the top', () => {
    pane.render().click(on('b'), click());
    entries = files.filter((e) => e.name !== 'b');
    pane.render().click(on('d'), click({ shiftKey: true }));
    expect(chosen()).toEqual(['a', 'c', 'd']);
  });
});

describe('selection by keyboard', () => {
  it('arrows move a single selection, starting at the top, and stop at the ends', () => {
    expect(pane.render().key(key('ArrowDown'))).toBe(true);
    expect(selected()).toEqual(['a']);
    pane.render().key(key('ArrowDown'));
    pane.render().key(key('ArrowDown'));
    expect(selected()).toEqual(['c']);
    pane.render().key(key('ArrowUp'));
    expect(selected()).toEqual(['b']);
    pane.render().key(key('ArrowUp'));
    pane.render().key(key('ArrowUp'));
    expect(selected()).toEqual(['a']);
    expect(prevented).toBe(6);
  });

  it('Home, End and the page keys jump, clamped to the list', () => {
    pane.render().key(key('End'));
    expect(pane.render().cursor).toBe('e');
    pane.render().key(key('Home'));
    expect(pane.render().cursor).toBe('a');
    pane.render().key(key('PageDown'));
    expect(pane.render().cursor).toBe('e');
    pane.render().key(key('PageUp'));
    expect(pane.render().cursor).toBe('a');
  });

  it('an arrow after a Ctrl-click selection moves from the last clicked entry', () => {
    pane.render().click(on('a'), click());
    pane.render().click(on('c'), click({ ctrlKey: true }));
    pane.render().key(key('ArrowDown'));
    expect(selected()).toEqual(['d']);
  });

  it('Ctrl+A selects everything, keeping the cursor; Escape clears', () => {
    pane.render().click(on('b'), click());
    expect(pane.render().key(key('a', { ctrlKey: true }))).toBe(true);
    expect(chosen()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pane.render().cursor).toBe('b');
    expect(pane.render().key(key('A', { metaKey: true }))).toBe(true);
    expect(pane.render().key(key('Escape'))).toBe(true);
    expect(selected()).toEqual([]);
  });

  it('Escape with nothing selected, and other keys, are left to the pane (not prevented)', () => {
    expect(pane.render().key(key('Escape'))).toBe(false);
    expect(pane.render().key(key('a'))).toBe(false);
    expect(pane.render().key(key('Enter'))).toBe(false);
    expect(pane.render().key(key('Delete'))).toBe(false);
    expect(prevented).toBe(0);
  });

  it('arrows in an empty folder select nothing and are not handled', () => {
    entries = [];
    expect(pane.render().key(key('ArrowDown'))).toBe(false);
    expect(selected()).toEqual([]);
  });
});

describe('selection and the listing', () => {
  it('another folder starts with nothing selected', () => {
    pane.render().click(on('b'), click());
    path = '/etc';
    expect(selected()).toEqual([]);
    expect(pane.render().cursor).toBeNull();
  });

  it('the chosen entries are in list order and only those still listed', () => {
    pane.render().click(on('d'), click());
    pane.render().click(on('a'), click({ ctrlKey: true }));
    pane.render().click(on('c'), click({ ctrlKey: true }));
    expect(chosen()).toEqual(['a', 'c', 'd']);
    entries = files.filter((e) => e.name !== 'c');
    expect(chosen()).toEqual(['a', 'd']);
  });

  it('after a rename, the renamed entry alone is selected', () => {
    pane.render().click(on('a'), click());
    pane.render().click(on('b'), click({ ctrlKey: true }));
    entries = [...files, entry('naïve – 名前.txt')];
    pane.render().only('naïve – 名前.txt');
    expect(chosen()).toEqual(['naïve – 名前.txt']);
    expect(pane.render().cursor).toBe('naïve – 名前.txt');
  });
});
