// The one list of shortcuts: the tab keys' handler recognises every chord it lists (and so the Settings
// table cannot show a key that does nothing), no chord is listed twice, and how each is written.
import { describe, expect, it } from 'vitest';
import { ALL_KEYS, bindingText, chordText, matches, TAB_KEYS, type Chord } from '../../../renderer/lib/keybindings.js';
import { tabShortcut } from '../../../renderer/features/terminal/tabKeys.js';

const eventOf = (c: Chord) => ({
  key: c.key ?? '',
  code: c.code ?? '',
  ctrlKey: c.ctrl ?? false,
  shiftKey: c.shift ?? false,
  altKey: c.alt ?? false,
  metaKey: false,
});

describe('keybindings', () => {
  it('every tab and pane chord listed is one the tab keys act on', () => {
    for (const b of Object.values(TAB_KEYS)) for (const c of b.chords) expect(tabShortcut(eventOf(c)), chordText(c)).not.toBeNull();
  });

  it('no chord is listed twice (the search bar has keys of its own)', () => {
    const seen = new Map<string, string>();
    for (const b of ALL_KEYS.filter((k) => k.group !== 'Search'))
      for (const c of b.chords) {
        const text = chordText(c);
        expect(seen.get(text), `${text}: ${b.label}`).toBeUndefined();
        seen.set(text, b.label);
      }
  });

  it('matches only the exact modifiers; Cmd only where it stands for Ctrl', () => {
    const t = TAB_KEYS.duplicate.chords[0]!;
    expect(matches(eventOf(t), t)).toBe(true);
    expect(matches({ ...eventOf(t), altKey: true }, t)).toBe(false);
    expect(matches({ ...eventOf(t), metaKey: true }, t)).toBe(false);
    expect(matches({ ...eventOf(t), key: 'Z' }, t)).toBe(true); // by physical key
    const palette: Chord = { ctrl: true, shift: true, code: 'KeyP', metaAsCtrl: true };
    expect(matches({ ...eventOf(palette), ctrlKey: false, metaKey: true }, palette)).toBe(true);
  });

  it('writes chords as the docs do', () => {
    expect(bindingText(TAB_KEYS.duplicate)).toBe('Ctrl+Shift+T');
    expect(bindingText(TAB_KEYS.goto)).toBe('Alt+1 … Alt+9');
    expect(bindingText(TAB_KEYS.focus)).toBe('Ctrl+Shift+← / → / ↑ / ↓');
    expect(bindingText({ id: 'search.x', group: 'Search', label: 'x', chords: [{ key: 'Enter' }, { shift: true, key: 'Enter' }] })).toBe('Enter / Shift+Enter');
    expect(bindingText(TAB_KEYS.previous)).toBe('Ctrl+Shift+Tab');
    expect(chordText({ ctrl: true, code: 'Equal' })).toBe('Ctrl+=');
    expect(chordText({ ctrl: true, shift: true, code: 'KeyP', metaAsCtrl: true })).toBe('Ctrl/Cmd+Shift+P');
  });
});
