import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { DEFAULT_TERMINAL_SETTINGS, FONT_SIZE, type AppSettings, type TerminalSettings } from '../../../shared/settings.js';
import type { Snippet } from '../../../shared/snippets.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { setKeyOverrides } from '../../lib/keybindings.js';
import { useStream } from '../../lib/useStream.js';
import { chromeOf, themeOf } from './terminalThemes.js';

interface SettingsValue {
  /** the defaults until the first `settings.watch` event */
  terminal: TerminalSettings;
  snippets: Snippet[];
  /** saved in the main process; every window hears of it through `settings.watch` */
  setTerminal(patch: Partial<TerminalSettings>): void;
  /** Ctrl+= / Ctrl+- / Ctrl+0: one point bigger, smaller, or back to the default */
  stepFontSize(step: 1 | -1 | 0): void;
}

const SettingsContext = createContext<SettingsValue | null>(null);

export function useSettings(): SettingsValue {
  const value = useContext(SettingsContext);
  if (!value) throw new Error('useSettings outside SettingsProvider');
  return value;
}

/**
 * The app's one `settings.watch`. It hands the rebound shortcuts to `lib/keybindings.ts`, and dresses the document: `data-theme` (light or dark chrome,
 * theme.css) and `--term-bg`, the terminal theme's background, which the panes and the active tab use.
 */
export function SettingsProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const { reportError } = useFeedback();
  const [settings, setSettings] = useState<AppSettings>({ terminal: DEFAULT_TERMINAL_SETTINGS, snippets: [] });
  // the size the last key press asked for, so that presses quicker than the round trip add up
  const fontSize = useRef<number>(DEFAULT_TERMINAL_SETTINGS.fontSize);
  useStream('settings.watch', (s) => {
    fontSize.current = s.terminal.fontSize;
    // the key handlers read the rebindings when a key is pressed: a change acts at once
    setKeyOverrides(s.terminal.keys);
    setSettings(s);
  });
  const { theme, customTheme } = settings.terminal;
  useLayoutEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = chromeOf({ theme, customTheme });
    root.style.setProperty('--term-bg', themeOf({ theme, customTheme }).background ?? null);
  }, [theme, customTheme]);

  const setTerminal = useCallback(
    (patch: Partial<TerminalSettings>) => {
      client.call('settings.set', { terminal: patch }).catch(reportError);
    },
    [client, reportError],
  );
  const stepFontSize = useCallback(
    (step: 1 | -1 | 0) => {
      const next = step === 0 ? FONT_SIZE.default : Math.min(FONT_SIZE.max, Math.max(FONT_SIZE.min, fontSize.current + step));
      fontSize.current = next;
      setTerminal({ fontSize: next });
    },
    [setTerminal],
  );
  const value = useMemo(
    () => ({ terminal: settings.terminal, snippets: settings.snippets, setTerminal, stepFontSize }),
    [settings.terminal, settings.snippets, setTerminal, stepFontSize],
  );
  return <SettingsContext value={value}>{children}</SettingsContext>;
}
