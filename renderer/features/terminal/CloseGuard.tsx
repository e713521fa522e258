import { useCallback, useEffect, useRef, useState, type Dispatch, type ReactNode } from 'react';
import { visible } from '../../../shared/untrusted.js';
import { ConfirmDialog } from '../../lib/ConfirmDialog.js';
import { useSettings } from '../settings/SettingsProvider.js';
import { anyLive, closeQuestion, liveClosing, type LiveClosing } from './closing.js';
import type { TabAction, Tabs } from './tabs.js';

/**
 * "Ask before closing live sessions" (the setting `confirmClose`): the tab actions go through the returned
 * `dispatch`, which holds one that would close a connected shell (a tab, its others, those to its right,
 * a pane) until the user says Close in `dialog`; "Don't ask again" turns the setting off. While a shell is
 * live, leaving the page asks too (beforeunload: the browser's own question; in the desktop app the main
 * process asks on `will-prevent-unload`).
 */
export function useCloseGuard(tabs: Tabs, dispatch: Dispatch<TabAction>): { dispatch: Dispatch<TabAction>; dialog: ReactNode } {
  const { terminal, setTerminal } = useSettings();
  const ask = terminal.confirmClose;
  const latest = useRef(tabs);
  useEffect(() => {
    latest.current = tabs;
  }, [tabs]);
  const [pending, setPending] = useState<{ action: TabAction; live: LiveClosing } | null>(null);
  const guarded = useCallback(
    (action: TabAction) => {
      const live = ask ? liveClosing(latest.current, action) : null;
      if (live) setPending({ action, live });
      else dispatch(action);
    },
    [ask, dispatch],
  );

  const live = ask && anyLive(tabs);
  useEffect(() => {
    if (!live) return;
    const hold = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', hold);
    return () => window.removeEventListener('beforeunload', hold);
  }, [live]);

  const dialog = pending && (
    <CloseDialog
      question={visible(closeQuestion(pending.live))}
      onCancel={() => setPending(null)}
      onClose={(dontAsk) => {
        setPending(null);
        if (dontAsk) setTerminal({ confirmClose: false });
        dispatch(pending.action);
      }}
    />
  );
  return { dispatch: guarded, dialog };
}

function CloseDialog({ question, onClose, onCancel }: { question: string; onClose(dontAsk: boolean): void; onCancel(): void }) {
  const [dontAsk, setDontAsk] = useState(false);
  return (
    <ConfirmDialog title="Close live sessions" message={question} okLabel="Close" onConfirm={() => onClose(dontAsk)} onCancel={onCancel}>
      <label className="checkbox">
        <input type="checkbox" data-testid="confirm-dont-ask" checked={dontAsk} onChange={(e) => setDontAsk(e.target.checked)} /> Don't ask again
      </label>
    </ConfirmDialog>
  );
}
