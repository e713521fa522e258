import { useMemo } from 'react';
import type { Tunnel } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { useCopy } from '../../lib/useCopy.js';
import { isOn, useTunnelStatuses } from './TunnelStatuses.js';

/**
 * What the switches and buttons do. A start that fails is not an exception: the tunnel's row shows
 * why (its state turns failed). Only a call that cannot be made at all becomes a toast.
 */
export function useTunnelActions() {
  const client = useClient();
  const statuses = useTunnelStatuses();
  const { reportError } = useFeedback();
  const copy = useCopy();

  return useMemo(() => {
    const start = (id: string) => client.call('tunnels.start', { id }).catch(reportError);
    const stop = (id: string) => client.call('tunnels.stop', { id }).catch(reportError);
    const on = (t: Tunnel) => isOn(statuses.get(t.id)?.state);
    return {
      start,
      stop,
      /** starts those of `tunnels` that are off, in parallel (they share the host's one connection) */
      startAll: (tunnels: Tunnel[]) => Promise.all(tunnels.filter((t) => !on(t)).map((t) => start(t.id))),
      stopAll: (tunnels: Tunnel[]) => Promise.all(tunnels.filter(on).map((t) => stop(t.id))),
      copyCommand: async (id: string) => {
        const command = await client.call('tunnels.command', { id }).then((r) => r.command, reportError);
        if (command !== undefined) await copy(command);
      },
      /** moves a tunnel whose port is taken to `port`, then starts it */
      movePort: (id: string, port: number) => client.call('tunnels.update', { id, patch: { bindPort: port } }).then(() => start(id), reportError),
    };
  }, [client, statuses, reportError, copy]);
}
