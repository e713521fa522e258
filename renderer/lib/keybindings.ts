// Every keyboard shortcut of Warren's own, in one list: the handlers match key events against it, and
// the Settings view's table is made from it, so what is shown is what works.

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
  group: KeyGroup;
  /** what it does, for the table */
  label: string;
  chords: Chord[];
  /** shown after the label: where the key is not Warren's */
  note?: string;
  /** the table shows the chords as a range (Alt+1 … Alt+9) */
  range?: boolean;
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

/** the tab and pane keys (`tabKeys.ts`), caught before the terminal sees them */
export const TAB_KEYS = {
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
  },
  splitRight: { group: 'Panes', label: 'Split the pane right', chords: [cs('KeyE')] },
  splitDown: { group: 'Panes', label: 'Split the pane down', chords: [cs('KeyO')] },
  focus: {
    group: 'Panes',
    label: 'Focus the pane to the left, right, above, below',
    chords: [csKey('ArrowLeft'), csKey('ArrowRight'), csKey('ArrowUp'), csKey('ArrowDown')],
    note: "the shell's while the tab has one pane",
  },
  zoom: { group: 'Panes', label: 'Zoom the pane, and back', chords: [cs('KeyZ')], note: "the shell's while the tab has one pane" },
  broadcast: { group: 'Panes', label: "Broadcast input to the tab's panes (or every tab), and stop", chords: [cs('KeyB')] },
} satisfies Record<string, Binding>;

/** the terminal's own keys (`createTerminal.ts`) */
export const TERMINAL_KEYS = {
  search: { group: 'Terminal', label: 'Search the scrollback', chords: [cs('KeyF')] },
  copy: { group: 'Terminal', label: 'Copy the selection', chords: [cs('KeyC')] },
  paste: { group: 'Terminal', label: 'Paste', chords: [cs('KeyV')] },
  bigger: { group: 'Terminal', label: 'Larger font', chords: [ctrl('Equal'), ctrl('NumpadAdd')] },
  smaller: { group: 'Terminal', label: 'Smaller font', chords: [ctrl('Minus'), ctrl('NumpadSubtract')] },
  resetSize: { group: 'Terminal', label: 'Default font size', chords: [ctrl('Digit0'), ctrl('Numpad0')] },
} satisfies Record<string, Binding>;

/** in the search bar (`SearchBar.tsx`) */
export const SEARCH_KEYS = {
  next: { group: 'Search', label: 'Next match', chords: [{ key: 'Enter' }] },
  previous: { group: 'Search', label: 'Previous match', chords: [{ shift: true, key: 'Enter' }] },
  caseSensitive: { group: 'Search', label: 'Match case on / off', chords: [{ alt: true, code: 'KeyC' }] },
  wholeWord: { group: 'Search', label: 'Whole word on / off', chords: [{ alt: true, code: 'KeyW' }] },
  regex: { group: 'Search', label: 'Regular expression on / off', chords: [{ alt: true, code: 'KeyR' }] },
  close: { group: 'Search', label: 'Close the search', chords: [{ key: 'Escape' }] },
} satisfies Record<string, Binding>;

/** anywhere (`CommandPalette.tsx`) */
export const APP_KEYS = {
  palette: { group: 'App', label: 'Command palette', chords: [{ ctrl: true, shift: true, code: 'KeyP', metaAsCtrl: true }] },
  paletteOutside: {
    group: 'App',
    label: 'Command palette, outside a terminal',
    chords: [{ ctrl: true, code: 'KeyK', metaAsCtrl: true }],
    note: "in a terminal Ctrl+K is the shell's (kill to the end of the line)",
  },
} satisfies Record<string, Binding>;

/** every shortcut, in the order the Settings view lists them */
export const ALL_KEYS: readonly Binding[] = [
  ...Object.values(TAB_KEYS),
  ...Object.values(TERMINAL_KEYS),
  ...Object.values(SEARCH_KEYS),
  ...Object.values(APP_KEYS),
];
