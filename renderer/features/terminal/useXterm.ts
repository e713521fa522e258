import { useEffect, useState, type RefObject } from 'react';
import { createTerminal, type RendererKind, type TermHooks, type TermView } from './createTerminal.js';

const RESIZE_DEBOUNCE_MS = 50;

/**
 * One xterm for the life of the pane. It follows the pane's size (which also refits a tab that
 * becomes visible again); `term.onResize` tells whoever listens.
 */
export function useXterm(container: RefObject<HTMLDivElement | null>, hooks: Omit<TermHooks, 'onRendererChange'>) {
  const [view, setView] = useState<TermView | null>(null);
  const [renderer, setRenderer] = useState<RendererKind>('dom');
  const { onSearch, onError, onLink } = hooks;

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const created = createTerminal(el, { onSearch, onError, onLink, onRendererChange: setRenderer });
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
  }, [container, onSearch, onError, onLink]);

  return { view, renderer };
}
