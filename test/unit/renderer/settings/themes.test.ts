// The custom theme as data: its colours over its base, the chrome it asks for, and what the schema refuses.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TERMINAL_SETTINGS } from '../../../../shared/settings.js';
import { CustomTheme } from '../../../../shared/terminal-profile.js';
import { chromeOf, TERMINAL_THEMES, themeOf } from '../../../../renderer/features/settings/terminalThemes.js';
import { migrate } from '../../../../electron/store/settings.js';

describe('custom colours', () => {
  it('are the base theme with the colours set over it; a built-in theme ignores them', () => {
    const customTheme: CustomTheme = { base: 'light', colors: { background: '#203040', red: '#ff0000' } };
    const t = themeOf({ theme: 'custom', customTheme });
    expect(t).toEqual({ ...TERMINAL_THEMES.light, background: '#203040', red: '#ff0000' });
    expect(themeOf({ theme: 'dark', customTheme })).toBe(TERMINAL_THEMES.dark);
    expect(chromeOf({ theme: 'custom', customTheme })).toBe('light');
    expect(chromeOf({ theme: 'custom', customTheme: { base: 'high-contrast', colors: {} } })).toBe('dark');
  });

  it('take #rrggbb only, for the colours a theme has', () => {
    expect(CustomTheme.safeParse({ base: 'dark', colors: { background: '#12345' } }).success).toBe(false);
    expect(CustomTheme.safeParse({ base: 'dark', colors: { background: 'red;}body{x' } }).success).toBe(false);
    expect(CustomTheme.safeParse({ base: 'dark', colors: { notAColour: '#123456' } }).success).toBe(false);
    expect(CustomTheme.safeParse({ base: 'solarized', colors: {} }).success).toBe(false);
    expect(CustomTheme.safeParse({ base: 'dark', colors: { cursor: '#A0b1C2' } }).success).toBe(true);
  });

  it('a settings file without them, or with a broken one, gets the default and keeps the rest', () => {
    const doc = migrate({
      schemaVersion: 6,
      groups: [],
      hosts: [],
      tunnels: [],
      recent: [],
      tagColors: {},
      snippets: [],
      workspace: null,
      terminal: { theme: 'custom', fontSize: 17 },
    });
    expect(doc.terminal).toMatchObject({ theme: 'custom', fontSize: 17, customTheme: DEFAULT_TERMINAL_SETTINGS.customTheme });
    const broken = migrate({ ...doc, terminal: { ...doc.terminal, customTheme: { base: 'dark', colors: { background: 'url(x)' } } } });
    expect(broken.terminal.customTheme).toEqual(DEFAULT_TERMINAL_SETTINGS.customTheme);
    expect(broken.terminal.fontSize).toBe(17);
  });
});
