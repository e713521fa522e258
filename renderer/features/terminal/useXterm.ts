import { useEffect, useRef, useState, type RefObject } from 'react';
import type { TerminalSettings } from '../../../shared/settings.js';
import { useSettings } from '../settings/SettingsProvider.js';
import { createTerminal, type RendererKind, type TermHooks, type TermView } from './createTerminal.js';

const RESIZE_DEBOUNCE_MS = 50;

/**
 * One xterm for the life of the pane. It follows the pane's size (which also refits a tab that
 * becomes visible again) and its terminal settings (the host's, useHostTerminal: a change applies at
 * once); `term.onResize` tells whoever listens.
 */
export function useXterm(container: RefObject<HTMLDivElement | null>, settings: TerminalSettings, hooks: Omit<TermHooks, 'onRendererChange' | 'onFontSize'>) {
  const [view, setView] = useState<TermView | null>(null);
  const [renderer, setRenderer] = useState<RendererKind>('dom');
  const { onSearch, onError, onLink } = hooks;
  const { stepFontSize } = useSettings();
  // the settings a new terminal starts with; later changes reach it through `apply`
  const initial = useRef(settings);
  initial.current = settings;

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const created = createTerminal(el, initial.current, { onSearch, onError, onLink, onFontSize: stepFontSize, onRendererChange: setRenderer });
    const { term, fit } = created.view;
    const refit = () => {
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
    };
    refit();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(refit, RESIZE_DEBOUNCE_MS);
    });
    observer.observe(el);
    setRenderer(created.renderer);
    setView(created.view);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
      term.dispose();
    };
  }, [container, onSearch, onError, onLink, stepFontSize]);

  const applied = useRef(settings);
  useEffect(() => {
    if (!view || applied.current === settings) return;
    applied.current = settings;
    view.apply(settings);
  }, [view, settings]);

  return { view, renderer };
}
