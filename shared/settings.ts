// The contract's settings section: the app's own preferences (today: how terminals look and behave),
// kept in the settings file beside the hosts. Never a secret.
import { z } from 'zod';
import { call, empty, stream } from './spec.js';

export const FONT_SIZE = { min: 8, max: 32, default: 14 } as const;

/**
 * A CSS font-family list: names, quotes, commas and spaces only. xterm puts it into a stylesheet and a
 * canvas font string, where a `;`, `{` or `}` would end the declaration.
 */
const FontFamily = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .regex(/^[\p{L}\p{N} ,'"._-]+$/u, 'a font family is names, quotes, commas and spaces only');

export const TerminalTheme = z.enum(['dark', 'light', 'high-contrast']);
export type TerminalTheme = z.infer<typeof TerminalTheme>;

export const TerminalSettings = z.object({
  fontFamily: FontFamily,
  fontSize: z.number().int().min(FONT_SIZE.min).max(FONT_SIZE.max),
  /** a multiple of the font's height; 1.1 keeps DejaVu Sans Mono's underscore inside its row */
  lineHeight: z.number().min(1).max(2),
  cursorStyle: z.enum(['block', 'underline', 'bar']),
  cursorBlink: z.boolean(),
  /** lines kept above the screen */
  scrollback: z.number().int().min(0).max(100_000),
  /** a selection made with the mouse goes to the clipboard at once (Ctrl+Shift+C still works) */
  copyOnSelect: z.boolean(),
  /** auto: WebGL unless the GPU is emulated in software, then the DOM renderer */
  renderer: z.enum(['auto', 'webgl', 'dom']),
  /** the terminal's colours; "light" makes the app's chrome light too */
  theme: TerminalTheme,
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
};

export const AppSettings = z.object({ terminal: TerminalSettings });
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
