// Every keyboard shortcut of Warren's own, in one list: the handlers match key events against it, and
// the Settings view's table is made from it, so what is shown is what works. The user may rebind a
// command (the settings' `terminal.keys`): `chordsOf` is what a handler matches, the user's chord or the defaults.
import { KeyChord, type KeyOverrides } from '../../shared/settings.js';

/** One key combination. Letters and digits go by the physical key (`code`), so a layout does not change them. */
export interface Chord {
  ctrl?: boolean;
  shift?: boolean;
  alt?: boolean;
  /** `KeyboardEvent.code` (KeyT, Digit1, Equal) … */
  code?: string;
  /** … or `KeyboardEvent.key` (Tab, PageUp, ArrowLeft, Enter) */
  key?: string;
  /** Cmd counts as Ctrl (the palette, on a Mac keyboard) */
  metaAsCtrl?: boolean;
}

export type KeyGroup = 'Tabs' | 'Panes' | 'Terminal' | 'Search' | 'App';

export interface Binding {
  /** the command's id, under which the settings keep its rebinding (`tabs.splitRight`) */
  id: string;
  group: KeyGroup;
  /** what it does, for the table */
  label: string;
  chords: Chord[];
  /** shown after the label: where the key is not Warren's */
  note?: string;
  /** the table shows the chords as a range (Alt+1 … Alt+9) */
  range?: boolean;
  /** why it cannot be rebound (several keys that go together; the search box's own keys) */
  fixed?: string;
  /** it acts only outside a terminal, so a plain Ctrl+letter may be it */
  outsideTerminal?: boolean;
}

type Keys = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>;

/** exactly this combination: no other modifier held */
export function matches(e: Keys, c: Chord): boolean {
  if (e.metaKey && !c.metaAsCtrl) return false;
  const ctrl = c.metaAsCtrl ? e.ctrlKey || e.metaKey : e.ctrlKey;
  if (ctrl !== (c.ctrl ?? false) || e.shiftKey !== (c.shift ?? false) || e.altKey !== (c.alt ?? false)) return false;
  return c.code !== undefined ? e.code === c.code : e.key === c.key;
}

/** the first binding of `bindings` that `e` is (with which of its chords), or null */
export function matching<B extends Binding>(e: Keys, bindings: readonly B[]): { binding: B; chord: number } | null {
  for (const binding of bindings) {
    const chord = binding.chords.findIndex((c) => matches(e, c));
    if (chord >= 0) return { binding, chord };
  }
  return null;
}

const NAMES: Record<string, string> = {
  Equal: '=',
  Minus: '-',
  NumpadAdd: 'Num +',
  NumpadSubtract: 'Num -',
  Numpad0: 'Num 0',
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
};

const modifiers = (c: Chord) => [c.ctrl && (c.metaAsCtrl ? 'Ctrl/Cmd' : 'Ctrl'), c.shift && 'Shift', c.alt && 'Alt'].filter(Boolean).join('+');
const baseOf = (c: Chord) => {
  const name = c.code ?? c.key ?? '';
  return NAMES[name] ?? name.replace(/^(Key|Digit)/, '');
};

/** `Ctrl+Shift+T`, `Alt+1`, `Ctrl+=` */
export function chordText(c: Chord): string {
  const mods = modifiers(c);
  return mods ? `${mods}+${baseOf(c)}` : baseOf(c);
}

/** how the table shows a binding's keys: `Alt+1 … Alt+9`, `Ctrl+Shift+← / → / ↑ / ↓` (one set of modifiers) */
export function bindingText(b: Binding): string {
  const texts = b.chords.map(chordText);
  if (b.range && texts.length > 1) return `${texts[0]} … ${texts[texts.length - 1]}`;
  const mods = modifiers(b.chords[0]!);
  if (mods && b.chords.every((c) => modifiers(c) === mods)) return `${mods}+${b.chords.map(baseOf).join(' / ')}`;
  return texts.join(' / ');
}

const cs = (code: string): Chord => ({ ctrl: true, shift: true, code });
const csKey = (key: string): Chord => ({ ctrl: true, shift: true, key });
const ctrl = (code: string): Chord => ({ ctrl: true, code });

type Defaults = Record<string, Omit<Binding, 'id'>>;
/** each binding's id is `prefix.name` */
const commands = <T extends Defaults>(prefix: string, list: T): { [K in keyof T]: T[K] & { id: string } } =>
  Object.fromEntries(Object.entries(list).map(([name, b]) => [name, { ...b, id: `${prefix}.${name}` }])) as { [K in keyof T]: T[K] & { id: string } };

const SEVERAL = 'its keys go together';

/** the tab and pane keys (`tabKeys.ts`), caught before the terminal sees them */
export const TAB_KEYS = commands('tabs', {
  duplicate: { group: 'Tabs', label: 'Duplicate the tab (a new shell on the same host)', chords: [cs('KeyT')] },
  localShell: { group: 'Tabs', label: 'New local shell (a tab with a shell on this machine)', chords: [cs('KeyL')] },
  close: { group: 'Tabs', label: 'Close the focused pane (the tab with its last pane)', chords: [cs('KeyW')] },
  next: { group: 'Tabs', label: 'Next tab', chords: [{ ctrl: true, key: 'Tab' }] },
  previous: { group: 'Tabs', label: 'Previous tab', chords: [{ ctrl: true, shift: true, key: 'Tab' }] },
  moveLeft: { group: 'Tabs', label: 'Move the tab left', chords: [csKey('PageUp')] },
  moveRight: { group: 'Tabs', label: 'Move the tab right', chords: [csKey('PageDown')] },
  goto: {
    group: 'Tabs',
    label: 'Go to tab 1 to 9',
    chords: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => ({ alt: true, code: `Digit${n}` })),
    range: true,
    note: 'the shell gets it when there is no such tab',
    fixed: SEVERAL,
  },
  splitRight: { group: 'Panes', label: 'Split the pane right', chords: [cs('KeyE')] },
  splitDown: { group: 'Panes', label: 'Split the pane down', chords: [cs('KeyO')] },
  focus: {
    group: 'Panes',
    label: 'Focus the pane to the left, right, above, below',
    chords: [csKey('ArrowLeft'), csKey('ArrowRight'), csKey('ArrowUp'), csKey('ArrowDown')],
    note: "the shell's while the tab has one pane",
    fixed: SEVERAL,
  },
  zoom: { group: 'Panes', label: 'Zoom the pane, and back', chords: [cs('KeyZ')], note: "the shell's while the tab has one pane" },
  broadcast: { group: 'Panes', label: "Broadcast input to the tab's panes (or every tab), and stop", chords: [cs('KeyB')] },
} satisfies Defaults);

/** the terminal's own keys (`createTerminal.ts`) */
export const TERMINAL_KEYS = commands('terminal', {
  search: { group: 'Terminal', label: 'Search the scrollback', chords: [cs('KeyF')] },
  copy: { group: 'Terminal', label: 'Copy the selection', chords: [cs('KeyC')] },
  paste: { group: 'Terminal', label: 'Paste', chords: [cs('KeyV')] },
  bigger: { group: 'Terminal', label: 'Larger font', chords: [ctrl('Equal'), ctrl('NumpadAdd')] },
  smaller: { group: 'Terminal', label: 'Smaller font', chords: [ctrl('Minus'), ctrl('NumpadSubtract')] },
  resetSize: { group: 'Terminal', label: 'Default font size', chords: [ctrl('Digit0'), ctrl('Numpad0')] },
} satisfies Defaults);

/** in the search bar (`SearchBar.tsx`) */
const SEARCH_BOX = "the search box's own keys";
export const SEARCH_KEYS = commands('search', {
  next: { group: 'Search', label: 'Next match', chords: [{ key: 'Enter' }], fixed: SEARCH_BOX },
  previous: { group: 'Search', label: 'Previous match', chords: [{ shift: true, key: 'Enter' }], fixed: SEARCH_BOX },
  caseSensitive: { group: 'Search', label: 'Match case on / off', chords: [{ alt: true, code: 'KeyC' }], fixed: SEARCH_BOX },
  wholeWord: { group: 'Search', label: 'Whole word on / off', chords: [{ alt: true, code: 'KeyW' }], fixed: SEARCH_BOX },
  regex: { group: 'Search', label: 'Regular expression on / off', chords: [{ alt: true, code: 'KeyR' }], fixed: SEARCH_BOX },
  close: { group: 'Search', label: 'Close the search', chords: [{ key: 'Escape' }], fixed: SEARCH_BOX },
} satisfies Defaults);

/** anywhere (`CommandPalette.tsx`) */
export const APP_KEYS = commands('app', {
  palette: { group: 'App', label: 'Command palette', chords: [{ ctrl: true, shift: true, code: 'KeyP', metaAsCtrl: true }] },
  paletteOutside: {
    group: 'App',
    label: 'Command palette, outside a terminal',
    chords: [{ ctrl: true, code: 'KeyK', metaAsCtrl: true }],
    note: "in a terminal Ctrl+K is the shell's (kill to the end of the line)",
    outsideTerminal: true,
  },
} satisfies Defaults);

/** every shortcut, in the order the Settings view lists them */
export const ALL_KEYS: readonly Binding[] = [
  ...Object.values(TAB_KEYS),
  ...Object.values(TERMINAL_KEYS),
  ...Object.values(SEARCH_KEYS),
  ...Object.values(APP_KEYS),
];

/** the search box's keys are matched only there; every other binding anywhere in the app */
const GLOBAL_KEYS = ALL_KEYS.filter((b) => b.group !== 'Search');

/** the user's chord per command id (from the settings), parsed; `setKeyOverrides` keeps it */
let overrides = new Map<string, Chord>();
/** while a new chord is being recorded, no shortcut acts */
let recording = false;

/** the settings' rebindings, from now on (the Settings provider calls it on every change, so handlers follow at once) */
export function setKeyOverrides(map: KeyOverrides): void {
  overrides = new Map();
  for (const [id, text] of Object.entries(map)) {
    const chord = parseChord(text);
    if (chord && ALL_KEYS.some((b) => b.id === id && !b.fixed)) overrides.set(id, chord);
  }
}

/** the Settings view records a chord: until it ends, no handler takes a key */
export function setRecording(on: boolean): void {
  recording = on;
}

/** the chords `b` answers to now: the user's own (Cmd still counting as Ctrl where the default lets it), else its defaults */
export function chordsOf(b: Binding): readonly Chord[] {
  return recording ? [] : effective(b);
}

function effective(b: Binding): readonly Chord[] {
  const own = overrides.get(b.id);
  return own ? [{ ...own, metaAsCtrl: b.chords[0]?.metaAsCtrl }] : b.chords;
}

/** `b` with the chords it answers to now (for the table and menu hints) */
export const current = (b: Binding): Binding => ({ ...b, chords: [...effective(b)] });

/** how a menu names the keys of `b` now */
export const keyHint = (b: Binding): string => bindingText(current(b));

/** `Ctrl+Shift+KeyE` (the settings' form, `KeyChord`) to a chord; null when it is not one */
export function parseChord(text: string): Chord | null {
  if (!KeyChord.safeParse(text).success) return null;
  const parts = text.split('+');
  const code = parts.pop()!;
  return { ...(parts.includes('Ctrl') && { ctrl: true }), ...(parts.includes('Shift') && { shift: true }), ...(parts.includes('Alt') && { alt: true }), code };
}

/** a chord in the settings' form; null for a key the settings cannot keep */
export function chordString(c: Chord): string | null {
  const text = [c.ctrl && 'Ctrl', c.shift && 'Shift', c.alt && 'Alt', c.code ?? c.key].filter(Boolean).join('+');
  return KeyChord.safeParse(text).success ? text : null;
}

const sameChord = (a: Chord, b: Chord) => !!a.ctrl === !!b.ctrl && !!a.shift === !!b.shift && !!a.alt === !!b.alt && (a.code ?? a.key) === (b.code ?? b.key);

const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'OS']);

/** what pressing `e` while recording means: a chord, nothing yet (a modifier alone), or a refusal */
export function recordedChord(e: Keys): { chord: Chord } | { reason: string } | null {
  if (MODIFIER_KEYS.has(e.key)) return null;
  if (e.metaKey) return { reason: 'The Windows / Cmd key is left to the system; use Ctrl, Shift and Alt.' };
  const chord: Chord = { ...(e.ctrlKey && { ctrl: true }), ...(e.shiftKey && { shift: true }), ...(e.altKey && { alt: true }), code: e.code };
  if (chordString(chord) === null) return { reason: `${e.code || e.key} cannot be a shortcut.` };
  return { chord };
}

/**
 * Why `chord` cannot be `b`'s, or null when it can: a key without Ctrl or Alt is typing (F1–F12 aside); the
 * shell's own keys (plain Ctrl+letter, Alt+letter) stay the shell's for a command that acts in a terminal;
 * a chord another command answers to (its default or the user's) is refused, naming that command.
 */
export function rebindProblem(b: Binding, chord: Chord): string | null {
  if (b.fixed) return `"${b.label}" cannot be changed: ${b.fixed}.`;
  const text = chordText(chord);
  const code = chord.code ?? chord.key ?? '';
  const letter = /^Key[A-Z]$/.test(code);
  if (!chord.ctrl && !chord.alt && !/^F\d+$/.test(code)) return `${text} is typing: a shortcut needs Ctrl or Alt (or is F1–F12).`;
  if (!b.outsideTerminal && chord.ctrl && !chord.shift && !chord.alt && (letter || /^(Bracket(Left|Right)|Backslash|Space)$/.test(code)))
    return `${text} is the shell's: programs read plain Ctrl+letter as a control character (Ctrl+C interrupts, Ctrl+D ends input, Ctrl+R searches history). Add Shift.`;
  if (!b.outsideTerminal && chord.alt && !chord.ctrl && letter) return `${text} is the shell's: readline's Meta keys (Alt+B, Alt+F move by word). Add Ctrl.`;
  const taken = GLOBAL_KEYS.find((other) => other.id !== b.id && effective(other).some((c) => sameChord(c, chord)));
  if (taken) return `${text} is already "${taken.label}".`;
  return null;
}

/**
 * The rebindings after `b` is given `chord`: its default chord drops the entry (as Reset does), and a chord
 * that `rebindProblem` refuses is a thrown Error with that reason.
 */
export function rebind(map: KeyOverrides, b: Binding, chord: Chord): KeyOverrides {
  const problem = rebindProblem(b, chord);
  if (problem) throw new Error(problem);
  const { [b.id]: _old, ...rest } = map;
  if (b.chords.length === 1 && sameChord(b.chords[0]!, chord)) return rest;
  return { ...rest, [b.id]: chordString(chord)! };
}
