// The terminal tab keys: which combinations are Warren's (and which stay the shell's), and what each
// does to the tabs.
import { describe, expect, it } from 'vitest';
import { shortcutAction, tabShortcut } from '../../../../renderer/features/terminal/tabKeys.js';
import { noTabs, openTab, tabsReducer, type Tabs } from '../../../../renderer/features/terminal/tabs.js';

const key = (key: string, code: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey', boolean>> = {}) => ({
  key,
  code,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});
const cs = { ctrlKey: true, shiftKey: true };

function three(): { tabs: Tabs; ids: string[] } {
  const opens = [openTab({ hostId: 'a' }, 'a'), openTab({ hostId: 'b' }, 'b'), openTab({ hostId: 'c' }, 'c')];
  const tabs = opens.reduce(tabsReducer, noTabs);
  return { tabs: tabsReducer(tabs, { type: 'activate', id: opens[1]!.id }), ids: opens.map((o) => o.id) };
}

describe('tab shortcuts', () => {
  it('recognises the tab keys, by physical key for letters and digits', () => {
    expect(tabShortcut(key('T', 'KeyT', cs))).toEqual({ kind: 'duplicate' });
    expect(tabShortcut(key('W', 'KeyW', cs))).toEqual({ kind: 'close' });
    expect(tabShortcut(key('L', 'KeyL', cs))).toEqual({ kind: 'localShell' });
    expect(tabShortcut(key('Tab', 'Tab', { ctrlKey: true }))).toEqual({ kind: 'cycle', by: 1 });
    expect(tabShortcut(key('Tab', 'Tab', cs))).toEqual({ kind: 'cycle', by: -1 });
    expect(tabShortcut(key('PageUp', 'PageUp', cs))).toEqual({ kind: 'move', by: -1 });
    expect(tabShortcut(key('PageDown', 'PageDown', cs))).toEqual({ kind: 'move', by: 1 });
    expect(tabShortcut(key('1', 'Digit1', { altKey: true }))).toEqual({ kind: 'goto', index: 0 });
    expect(tabShortcut(key('(', 'Digit9', { altKey: true }))).toEqual({ kind: 'goto', index: 8 });
    // an AZERTY layout's Ctrl+Shift+W key reports another letter in key, the same code
    expect(tabShortcut(key('Z', 'KeyW', cs))).toEqual({ kind: 'close' });
  });

  it("leaves the shell's keys alone: Ctrl+W, Ctrl+T, Ctrl+PageUp, Tab, Alt+0, Alt+letter, Ctrl+Alt+1", () => {
    const shells = [
      key('w', 'KeyW', { ctrlKey: true }),
      key('t', 'KeyT', { ctrlKey: true }),
      key('W', 'KeyW', { shiftKey: true }),
      key('PageUp', 'PageUp', { ctrlKey: true }),
      key('PageDown', 'PageDown', { shiftKey: true }),
      key('Tab', 'Tab'),
      key('Tab', 'Tab', { shiftKey: true }),
      key('0', 'Digit0', { altKey: true }),
      key('b', 'KeyB', { altKey: true }),
      key('1', 'Digit1', { ctrlKey: true, altKey: true }),
      key('1', 'Digit1'),
      key('T', 'KeyT', { ...cs, altKey: true }),
      key('T', 'KeyT', { ...cs, metaKey: true }),
      key('C', 'KeyC', cs),
    ];
    for (const k of shells) expect(tabShortcut(k), JSON.stringify(k)).toBeNull();
  });

  it('acts on the active tab, or the tab at N', () => {
    const { tabs, ids } = three();
    expect(shortcutAction(tabs, { kind: 'close' })).toEqual({ type: 'close', id: ids[1] });
    expect(shortcutAction(tabs, { kind: 'cycle', by: 1 })).toEqual({ type: 'activate', id: ids[2] });
    expect(shortcutAction(tabs, { kind: 'cycle', by: -1 })).toEqual({ type: 'activate', id: ids[0] });
    expect(shortcutAction(tabs, { kind: 'move', by: -1 })).toEqual({ type: 'move', id: ids[1], to: 0 });
    expect(shortcutAction(tabs, { kind: 'goto', index: 2 })).toEqual({ type: 'activate', id: ids[2] });
    expect(shortcutAction(tabs, { kind: 'goto', index: 5 })).toBeNull();
    const dup = shortcutAction(tabs, { kind: 'duplicate' });
    expect(dup).toMatchObject({ type: 'open', title: 'b', target: { hostId: 'b' } });
    expect(shortcutAction(tabs, { kind: 'localShell' })).toMatchObject({ type: 'open', title: 'Local', target: { local: true } });
    expect(shortcutAction(noTabs, { kind: 'localShell' })).toMatchObject({ type: 'open', target: { local: true } });
  });

  it('does nothing with no tabs', () => {
    for (const kind of ['duplicate', 'close', 'move', 'cycle'] as const)
      expect(shortcutAction(noTabs, kind === 'move' || kind === 'cycle' ? { kind, by: 1 } : { kind })).toBeNull();
  });
});
