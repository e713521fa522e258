// The contract's settings section: the app's own preferences (today: how terminals look and behave),
// kept in the settings file beside the hosts. Never a secret.
import { z } from 'zod';
import { Snippet } from './snippets.js';
import { call, empty, stream } from './spec.js';
import { Bell, CursorStyle, CustomTheme, FONT_SIZE, FontFamily, FontSize, Locale, TermType, TerminalTheme } from './terminal-profile.js';

export { FONT_SIZE, LocaleName, TerminalTheme } from './terminal-profile.js';

/** the characters that end a word when a double-click selects one; printable characters only */
const WordSeparators = z
  .string()
  .max(64)
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'word separators are printable characters');

/**
 * A keyboard shortcut as the settings keep it: `Ctrl+Shift+KeyE`, `Alt+F5`. Modifiers in this order, then
 * one physical key (`KeyboardEvent.code`), so a keyboard layout does not change it.
 */
export const KeyChord = z
  .string()
  .max(40)
  .regex(
    /^(Ctrl\+)?(Shift\+)?(Alt\+)?(Key[A-Z]|Digit[0-9]|F[1-9]|F1[0-2]|Numpad[0-9]|Numpad(Add|Subtract|Multiply|Divide|Decimal)|Equal|Minus|Bracket(Left|Right)|Backslash|Semicolon|Quote|Comma|Period|Slash|Backquote|Tab|Enter|Space|Backspace|Delete|Insert|Home|End|Page(Up|Down)|Arrow(Left|Right|Up|Down)|Escape)$/,
    'a shortcut is modifiers (Ctrl+, Shift+, Alt+, in that order) and one key code, e.g. Ctrl+Shift+KeyE',
  );

/** a command's id (`tabs.splitRight`) → the one chord the user gave it instead of its default */
export const KeyOverrides = z
  .record(z.string().regex(/^[a-z]+\.[A-Za-z]{1,40}$/, 'a command id is like tabs.splitRight'), KeyChord)
  .refine((m) => Object.keys(m).length <= 100, 'at most 100 rebound shortcuts');
export type KeyOverrides = z.infer<typeof KeyOverrides>;

export const TerminalSettings = z.object({
  fontFamily: FontFamily,
  fontSize: FontSize,
  /** a multiple of the font's height; 1.1 keeps DejaVu Sans Mono's underscore inside its row */
  lineHeight: z.number().min(1).max(2),
  cursorStyle: CursorStyle,
  cursorBlink: z.boolean(),
  /** lines kept above the screen */
  scrollback: z.number().int().min(0).max(100_000),
  /** a selection made with the mouse goes to the clipboard at once (Ctrl+Shift+C still works) */
  copyOnSelect: z.boolean(),
  /** auto: WebGL unless the GPU is emulated in software, then the DOM renderer */
  renderer: z.enum(['auto', 'webgl', 'dom']),
  /** the terminal's colours; "light" makes the app's chrome light too */
  theme: TerminalTheme,
  /** the colours of the `custom` theme */
  customTheme: CustomTheme,
  /** TERM for new shells */
  termType: TermType,
  locale: Locale,
  /** what a BEL (^G) does: nothing, a flash of the terminal's edge, or a short tone */
  bell: Bell,
  wordSeparators: WordSeparators,
  /** the tabs, their splits and their shells' directories come back after a reload or a restart */
  restoreWorkspace: z.boolean(),
  /** closing a tab or pane whose shell is still connected (or the window, with such tabs) asks first */
  confirmClose: z.boolean(),
  /** a right-click in a terminal: the menu, a paste, or a copy of the selection (a paste when there is none); Shift+right-click is always the menu */
  rightClick: z.enum(['menu', 'paste', 'copyPaste']),
  /** the shortcuts the user rebound; every other one keeps its default */
  keys: KeyOverrides,
});
export type TerminalSettings = z.infer<typeof TerminalSettings>;

export const DEFAULT_TERMINAL_SETTINGS: TerminalSettings = {
  fontFamily: '"JetBrains Mono", "Cascadia Mono", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", "Ubuntu Mono", monospace',
  fontSize: FONT_SIZE.default,
  lineHeight: 1.1,
  cursorStyle: 'block',
  cursorBlink: true,
  scrollback: 10_000,
  copyOnSelect: false,
  renderer: 'auto',
  theme: 'dark',
  customTheme: { base: 'dark', colors: {} },
  termType: 'xterm-256color',
  locale: 'local',
  bell: 'visual',
  wordSeparators: ' ()[]{}\',"`<>|;',
  restoreWorkspace: true,
  confirmClose: true,
  rightClick: 'menu',
  keys: {},
};

/** the terminal's settings, and the snippets (saved with `snippets.save`, which every watcher hears of too) */
export const AppSettings = z.object({ terminal: TerminalSettings, snippets: z.array(Snippet) });
export type AppSettings = z.infer<typeof AppSettings>;

/** a change: only the fields given are set, each validated as the whole would be */
export const SettingsPatch = z.object({ terminal: TerminalSettings.partial().strict() }).strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const settingsCalls = {
  'settings.get': call(empty, AppSettings),
  /** returns the settings after the change; every `settings.watch` sees it too */
  'settings.set': call(SettingsPatch, AppSettings),
};

export const settingsStreams = {
  /** the settings now, then after each change (from any window or browser tab) */
  'settings.watch': stream(empty, AppSettings),
};
