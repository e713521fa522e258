import { useEffect, useRef, useState, type Dispatch } from 'react';
import type { Workspace } from '../../../shared/workspace.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import type { TabAction, Tabs } from './tabs.js';
import { fromSaved, toSaved } from './workspace.js';

/** how long the tabs stay unchanged before they are saved */
const SAVE_MS = 300;

/**
 * Brings back the saved workspace once (tabs of hosts deleted since are left out, and a notice says so),
 * then saves the tabs in the main process a moment after each change (at once when the page goes away).
 * Nothing is saved before the restore has been tried, so an empty page never overwrites it.
 */
export function useWorkspace(tabs: Tabs, dispatch: Dispatch<TabAction>): void {
  const client = useClient();
  const feedback = useFeedback();
  const { reportError } = feedback;
  // the feedback as it is when the answer comes (the restore itself runs once per client)
  const latest = useRef(feedback);
  latest.current = feedback;
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    let live = true;
    client.call('workspace.get', {}).then(
      ({ workspace, dropped }) => {
        if (!live) return;
        if (workspace) dispatch({ type: 'restore', ...fromSaved(workspace) });
        if (dropped.length > 0) {
          const what = dropped.length === 1 ? `The tab "${dropped[0]}" was` : `${dropped.length} tabs (${dropped.join(', ')}) were`;
          const why = dropped.length === 1 ? 'its host has' : 'their hosts have';
          latest.current.addNotice({ level: 'info', message: `${what} not restored: ${why} been deleted.` });
        }
        setLoaded(true);
      },
      (e: unknown) => {
        if (!live) return;
        latest.current.reportError(e);
        setLoaded(true);
      },
    );
    return () => {
      live = false;
    };
  }, [client, dispatch]);

  const saved = useRef<string | null>(null);
  const pending = useRef<Workspace | null>(null);
  useEffect(() => {
    if (!loaded) return;
    const ws = toSaved(tabs);
    const text = JSON.stringify(ws);
    if (text === saved.current) return;
    const save = () => {
      pending.current = null;
      saved.current = text;
      client.call('workspace.save', ws).catch(reportError);
    };
    pending.current = ws;
    const timer = setTimeout(save, SAVE_MS);
    const now = () => {
      if (pending.current === ws) save();
    };
    window.addEventListener('pagehide', now);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pagehide', now);
    };
  }, [client, reportError, loaded, tabs]);
}
