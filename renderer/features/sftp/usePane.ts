import { useCallback, useEffect, useRef, useState } from 'react';
import { WarrenError } from '../../../shared/errors.js';
import type { Listing } from '../../../shared/sftp.js';
import { useClient } from '../../lib/client.js';
import { asWarrenError } from '../../lib/errors.js';
import { useFeedback } from '../../lib/feedback.js';
import { visible } from '../../../shared/untrusted.js';
import type { PaneStart } from './fileSessions.js';
import type { Side } from './sides.js';

export interface PaneModel {
  side: Side;
  listing: Listing | null;
  loading: boolean;
  /** why there is nothing to show: the first listing failed (the host could not be reached, …) */
  error: WarrenError | null;
  /** a remote side's session was lost: why, and when Warren reconnects (null: it gave up, e.g. authentication) */
  offline: { error: WarrenError; retryAt: number | null } | null;
  /** lists `path` (null: the home folder); false when that failed, and a toast said why */
  go(path: string | null): Promise<boolean>;
  refresh(): Promise<boolean>;
  /** offline: reconnect now */
  reconnect(): void;
}

/** the home folder */
const HOME: PaneStart = { path: null, seq: 0 };

/**
 * One pane's folder: its listing, loaded at first from `start` (the home folder by default), and again
 * whenever `start` changes (another ask: "Open files here"). A start folder that cannot be listed falls
 * back to the home folder, and a toast says why. A failure keeps what is on
 * screen and says why in a toast (it names the file); only when nothing is on screen yet does the
 * pane show the error itself, with a retry. A remote side keeps its session open (`sftp.watch`): when
 * the connection is lost it says so, and once Warren has reconnected it lists the folder again.
 */
export function usePane(side: Side, start: PaneStart = HOME): PaneModel {
  const { reportError, notify } = useFeedback();
  const [listing, setListing] = useState<Listing | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<WarrenError | null>(null);
  const [offline, setOffline] = useState<PaneModel['offline']>(null);
  const client = useClient();
  const latest = useRef(0);
  const shown = useRef<Listing | null>(null);

  const go = useCallback(
    async (path: string | null) => {
      const n = ++latest.current;
      setLoading(true);
      try {
        const next = await side.list(path ?? (await side.home()));
        if (n !== latest.current) return false;
        shown.current = next;
        setListing(next);
        setError(null);
        return true;
      } catch (e) {
        if (n !== latest.current) return false;
        if (shown.current) reportError(e);
        else setError(asWarrenError(e));
        return false;
      } finally {
        if (n === latest.current) setLoading(false);
      }
    },
    [side, reportError],
  );
  const refresh = useCallback(() => go(shown.current?.path ?? null), [go]);

  useEffect(() => {
    const wanted = start.path;
    const n = latest.current + 1;
    void go(wanted).then((ok) => {
      // listed, or not asked for, or overtaken by another listing, or a folder is on screen (a toast said why)
      if (ok || wanted === null || n !== latest.current || shown.current) return;
      notify(`${visible(wanted)} could not be listed: showing the home folder instead.`);
      void go(null);
    });
  }, [go, start, notify]);

  const lost = useRef(false);
  const [watching, setWatching] = useState(0);
  useEffect(() => {
    if (side.target === null) return;
    return client.subscribe(
      'sftp.watch',
      { target: side.target },
      {
        onEvent: (e) => {
          if (e.state === 'open') {
            setOffline(null);
            if (lost.current) void refresh();
            lost.current = false;
            return;
          }
          lost.current = true;
          setOffline({ error: WarrenError.fromWire(e.error), retryAt: e.state === 'lost' ? e.retryAt : null });
        },
      },
    );
  }, [client, side, refresh, watching]);
  // waiting: try now (with everything else waiting to reconnect); given up: watch again
  const reconnect = useCallback(() => {
    if (offline?.retryAt) void client.call('app.wake', {}).catch(reportError);
    else setWatching((n) => n + 1);
  }, [client, offline, reportError]);

  return { side, listing, loading, error, offline, go, refresh, reconnect };
}
