import type { ITheme } from '@xterm/xterm';
import type { TerminalSettings } from '../../../shared/settings.js';
import type { BuiltInTheme } from '../../../shared/terminal-profile.js';

/** Each built-in theme's colours; `background` is also the pane's (`--term-bg`), so the margin around the cells matches. */
export const TERMINAL_THEMES: Record<BuiltInTheme, ITheme> = {
  dark: {
    background: '#0f1115',
    foreground: '#d4d7dd',
    cursor: '#e8e8e8',
    cursorAccent: '#0f1115',
    selectionBackground: '#34466a',
    black: '#1c1f24',
    red: '#e06c75',
    green: '#98c379',
    yellow: '#e5c07b',
    blue: '#61afef',
    magenta: '#c678dd',
    cyan: '#56b6c2',
    white: '#c8ccd4',
    brightBlack: '#5c6370',
    brightRed: '#ef7b84',
    brightGreen: '#a9d48a',
    brightYellow: '#f0cf8d',
    brightBlue: '#74bdf7',
    brightMagenta: '#d08ae6',
    brightCyan: '#69c7d2',
    brightWhite: '#f0f2f5',
  },
  light: {
    background: '#fbfbfc',
    foreground: '#2b2f36',
    cursor: '#2b2f36',
    cursorAccent: '#fbfbfc',
    selectionBackground: '#c5d7f7',
    black: '#2b2f36',
    red: '#c2313d',
    green: '#3d7d1f',
    yellow: '#8a6200',
    blue: '#1f5fc4',
    magenta: '#9a35b5',
    cyan: '#0f7a86',
    white: '#c9ccd1',
    brightBlack: '#6b717c',
    brightRed: '#d9434f',
    brightGreen: '#4c942b',
    brightYellow: '#a37600',
    brightBlue: '#2f73db',
    brightMagenta: '#ae4acb',
    brightCyan: '#188e9b',
    brightWhite: '#ffffff',
  },
  'high-contrast': {
    background: '#000000',
    foreground: '#ffffff',
    cursor: '#ffff00',
    cursorAccent: '#000000',
    selectionBackground: '#ffffff',
    selectionForeground: '#000000',
    black: '#000000',
    red: '#ff5555',
    green: '#55ff55',
    yellow: '#ffff55',
    blue: '#5c9dff',
    magenta: '#ff66ff',
    cyan: '#55ffff',
    white: '#e5e5e5',
    brightBlack: '#a0a0a0',
    brightRed: '#ff8080',
    brightGreen: '#80ff80',
    brightYellow: '#ffff80',
    brightBlue: '#8fbcff',
    brightMagenta: '#ff99ff',
    brightCyan: '#80ffff',
    brightWhite: '#ffffff',
  },
};

/** A terminal's colours: a built-in theme's, or the custom theme's colours over its base. */
export function themeOf(s: Pick<TerminalSettings, 'theme' | 'customTheme'>): ITheme {
  return s.theme === 'custom' ? { ...TERMINAL_THEMES[s.customTheme.base], ...s.customTheme.colors } : TERMINAL_THEMES[s.theme];
}

/** the app's chrome for a terminal theme: light with the light terminal (or a custom one made from it) */
export const chromeOf = (s: Pick<TerminalSettings, 'theme' | 'customTheme'>): 'light' | 'dark' =>
  (s.theme === 'custom' ? s.customTheme.base : s.theme) === 'light' ? 'light' : 'dark';
