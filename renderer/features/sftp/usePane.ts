import { useCallback, useEffect, useRef, useState } from 'react';
import type { WarrenError } from '../../../shared/errors.js';
import type { Listing } from '../../../shared/sftp.js';
import { asWarrenError } from '../../lib/errors.js';
import { useFeedback } from '../../lib/feedback.js';
import type { Side } from './sides.js';

export interface PaneModel {
  side: Side;
  listing: Listing | null;
  loading: boolean;
  /** why there is nothing to show: the first listing failed (the host could not be reached, …) */
  error: WarrenError | null;
  /** lists `path` (null: the home folder); false when that failed, and a toast said why */
  go(path: string | null): Promise<boolean>;
  refresh(): Promise<boolean>;
}

/**
 * One pane's folder: its listing, loaded at first from the home folder. A failure keeps what is on
 * screen and says why in a toast (it names the file); only when nothing is on screen yet does the
 * pane show the error itself, with a retry.
 */
export function usePane(side: Side): PaneModel {
  const { reportError } = useFeedback();
  const [listing, setListing] = useState<Listing | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<WarrenError | null>(null);
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
    void go(null);
  }, [go]);

  return { side, listing, loading, error, go, refresh };
}
