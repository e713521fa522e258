import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { TunnelState, TunnelStatus } from '../../../shared/tunnels.js';
import type { Tunnel } from '../../../shared/model.js';
import { useStream } from '../../lib/useStream.js';

type Statuses = ReadonlyMap<string, TunnelStatus>;

const StatusContext = createContext<Statuses | null>(null);

/** The app's one `tunnels.watch` subscription, shared by the dashboard, the tree and the view switch. */
export function TunnelStatusProvider({ children }: { children: ReactNode }) {
  const [list, setList] = useState<TunnelStatus[]>([]);
  useStream('tunnels.watch', setList);
  const statuses = useMemo(() => new Map(list.map((s) => [s.id, s])), [list]);
  return <StatusContext value={statuses}>{children}</StatusContext>;
}

/** Every tunnel's live status by tunnel id (empty until the first event). */
export function useTunnelStatuses(): Statuses {
  const statuses = useContext(StatusContext);
  if (!statuses) throw new Error('useTunnelStatuses() needs a <TunnelStatusProvider> above it');
  return statuses;
}

/** Whether the switch shows on: the user asked for the tunnel and it is (trying to be) running. */
export const isOn = (state: TunnelState | undefined) => state === 'starting' || state === 'up' || state === 'reconnecting';

export interface TunnelCount {
  up: number;
  /** switched on: starting, up or reconnecting */
  on: number;
  total: number;
}

/** How many of each host's tunnels are on and up, for the host tree. */
export function countByHost(tunnels: Tunnel[], statuses: Statuses): Map<string, TunnelCount> {
  const out = new Map<string, TunnelCount>();
  for (const t of tunnels) {
    const count = out.get(t.hostId) ?? { up: 0, on: 0, total: 0 };
    const state = statuses.get(t.id)?.state;
    count.total++;
    if (state === 'up') count.up++;
    if (isOn(state)) count.on++;
    out.set(t.hostId, count);
  }
  return out;
}
