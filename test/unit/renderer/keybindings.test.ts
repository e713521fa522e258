// The one list of shortcuts: the tab keys' handler recognises every chord it lists (and so the Settings
// table cannot show a key that does nothing), no chord is listed twice, and how each is written. Rebinding:
// the settings' chord form, recording a key press, the chords refused (and why), the handlers following.
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsPatch } from '../../../shared/settings.js';
import {
  ALL_KEYS,
  APP_KEYS,
  bindingText,
  chordString,
  chordsOf,
  chordText,
  current,
  matches,
  parseChord,
  rebind,
  rebindProblem,
  recordedChord,
  setKeyOverrides,
  setRecording,
  TAB_KEYS,
  type Chord,
} from '../../../renderer/lib/keybindings.js';
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

describe('rebinding', () => {
  afterEach(() => {
    setKeyOverrides({});
    setRecording(false);
  });
  const ev = (code: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey', boolean>> = {}) => ({
    key: code.replace(/^Key/, '').toLowerCase(),
    code,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    metaKey: false,
    ...mods,
  });
  const chord = (text: string) => parseChord(text)!;

  it("parses and writes the settings' form of a chord, and nothing else", () => {
    expect(parseChord('Ctrl+Shift+KeyE')).toEqual({ ctrl: true, shift: true, code: 'KeyE' });
    expect(parseChord('Alt+F5')).toEqual({ alt: true, code: 'F5' });
    expect(chordString({ ctrl: true, shift: true, code: 'KeyE' })).toBe('Ctrl+Shift+KeyE');
    expect(chordString({ ctrl: true, shift: true, key: 'PageUp' })).toBe('Ctrl+Shift+PageUp');
    for (const bad of ['Shift+Ctrl+KeyE', 'Ctrl+KeyE+KeyF', 'Meta+KeyA', 'Ctrl+e', 'Ctrl+', 'Ctrl+Shift+KeyE ', 'Ctrl+IntlBackslash', 'Ctrl+F13'])
      expect(parseChord(bad), bad).toBeNull();
    expect(chordString({ ctrl: true, code: 'IntlBackslash' })).toBeNull();
  });

  it('records a chord from a key press: a modifier alone waits, Cmd/Win and keys it cannot keep are refused', () => {
    expect(recordedChord({ ...ev('ShiftLeft', { shiftKey: true }), key: 'Shift' })).toBeNull();
    expect(recordedChord({ ...ev('ControlLeft', { ctrlKey: true }), key: 'Control' })).toBeNull();
    expect(recordedChord(ev('KeyY', { ctrlKey: true, shiftKey: true }))).toEqual({ chord: { ctrl: true, shift: true, code: 'KeyY' } });
    expect(recordedChord(ev('KeyY', { metaKey: true }))).toEqual({ reason: expect.stringContaining('Cmd') as string });
    expect(recordedChord(ev('IntlRo', { ctrlKey: true }))).toEqual({ reason: 'IntlRo cannot be a shortcut.' });
  });

  it("refuses typing, the shell's keys for a command that acts in a terminal, a chord another command has, and a fixed binding", () => {
    const split = TAB_KEYS.splitRight;
    expect(rebindProblem(split, chord('KeyA'))).toMatch(/^A is typing/);
    expect(rebindProblem(split, chord('Shift+KeyA'))).toMatch(/typing/);
    for (const shell of ['Ctrl+KeyC', 'Ctrl+KeyD', 'Ctrl+KeyR', 'Ctrl+BracketLeft', 'Ctrl+Space'])
      expect(rebindProblem(split, chord(shell)), shell).toMatch(/is the shell's: programs read plain Ctrl\+letter/);
    expect(rebindProblem(split, chord('Ctrl+KeyR'))).toContain('Ctrl+R is the shell');
    expect(rebindProblem(split, chord('Alt+KeyB'))).toMatch(/Alt\+B is the shell's: readline/);
    // a chord another command has, be it written by key (Ctrl+Shift+Tab) or by code
    expect(rebindProblem(split, chord('Ctrl+Shift+KeyT'))).toBe('Ctrl+Shift+T is already "Duplicate the tab (a new shell on the same host)".');
    expect(rebindProblem(split, chord('Ctrl+Shift+Tab'))).toBe('Ctrl+Shift+Tab is already "Previous tab".');
    expect(rebindProblem(split, chord('Alt+Digit3'))).toBe('Alt+3 is already "Go to tab 1 to 9".');
    expect(rebindProblem(split, chord('Ctrl+Equal'))).toMatch(/already "Larger font"/);
    expect(rebindProblem(TAB_KEYS.goto, chord('Ctrl+Shift+KeyY'))).toMatch(/cannot be changed: its keys go together/);
    // accepted: Ctrl+Shift+letter, Ctrl+Alt+letter, an F key alone, its own default
    for (const ok of ['Ctrl+Shift+KeyY', 'Ctrl+Alt+KeyE', 'F5', 'Shift+F3', 'Ctrl+Shift+KeyE']) expect(rebindProblem(split, chord(ok)), ok).toBeNull();
    // a command that acts only outside a terminal may have a plain Ctrl+letter
    expect(rebindProblem(APP_KEYS.paletteOutside, chord('Ctrl+KeyJ'))).toBeNull();
  });

  it('a rebinding replaces the defaults in the handlers, at once; its default chord is free for another command; its own default clears it', () => {
    const map = rebind({}, TAB_KEYS.splitRight, chord('Ctrl+Shift+KeyY'));
    expect(map).toEqual({ 'tabs.splitRight': 'Ctrl+Shift+KeyY' });
    setKeyOverrides(map);
    expect(tabShortcut(ev('KeyY', { ctrlKey: true, shiftKey: true }))).toEqual({ kind: 'split', dir: 'row' });
    expect(tabShortcut(ev('KeyE', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(bindingText(current(TAB_KEYS.splitRight))).toBe('Ctrl+Shift+Y');
    expect(rebindProblem(TAB_KEYS.duplicate, chord('Ctrl+Shift+KeyE'))).toBeNull();
    expect(rebindProblem(TAB_KEYS.duplicate, chord('Ctrl+Shift+KeyY'))).toBe('Ctrl+Shift+Y is already "Split the pane right".');
    expect(() => rebind(map, TAB_KEYS.duplicate, chord('Ctrl+Shift+KeyY'))).toThrow('already "Split the pane right"');
    expect(rebind(map, TAB_KEYS.splitRight, chord('Ctrl+Shift+KeyE'))).toEqual({});
    // the palette's own chord keeps Cmd as Ctrl
    setKeyOverrides({ 'app.palette': 'Ctrl+Shift+KeyJ' });
    expect(chordsOf(APP_KEYS.palette)).toEqual([{ ctrl: true, shift: true, code: 'KeyJ', metaAsCtrl: true }]);
  });

  it('ignores a rebinding of an unknown or fixed command, or one that is not a chord; while recording nothing acts', () => {
    setKeyOverrides({ 'tabs.nothing': 'Ctrl+Shift+KeyY', 'tabs.goto': 'Ctrl+Shift+KeyY', 'tabs.duplicate': 'Ctrl+Shift+Key' });
    expect(chordsOf(TAB_KEYS.goto)).toEqual(TAB_KEYS.goto.chords);
    expect(chordsOf(TAB_KEYS.duplicate)).toEqual(TAB_KEYS.duplicate.chords);
    setRecording(true);
    expect(tabShortcut(ev('KeyT', { ctrlKey: true, shiftKey: true }))).toBeNull();
    setRecording(false);
    expect(tabShortcut(ev('KeyT', { ctrlKey: true, shiftKey: true }))).toEqual({ kind: 'duplicate' });
  });

  it('the settings take a bounded map of ids to chords', () => {
    expect(SettingsPatch.safeParse({ terminal: { keys: { 'tabs.splitRight': 'Ctrl+Shift+KeyY' } } }).success).toBe(true);
    expect(SettingsPatch.safeParse({ terminal: { keys: { 'tabs.splitRight': 'Ctrl+Shift+KeyY\n' } } }).success).toBe(false);
    expect(SettingsPatch.safeParse({ terminal: { keys: { '__proto__.x': 'F5' } } }).success).toBe(false);
    const many = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [`tabs.c${String.fromCharCode(97 + (i % 26))}${'x'.repeat(Math.floor(i / 26))}`, 'F5']),
    );
    expect(Object.keys(many)).toHaveLength(101);
    expect(SettingsPatch.safeParse({ terminal: { keys: Object.fromEntries(Object.entries(many).slice(0, 100)) } }).success).toBe(true);
    expect(SettingsPatch.safeParse({ terminal: { keys: many } }).success).toBe(false);
  });
});
