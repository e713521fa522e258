import type { Tunnel } from '../../../shared/model.js';
import { describeSpec, kindLetter, kindTitle } from './format.js';
import { StatePill } from './StatePill.js';
import { useTunnelStatuses } from './TunnelStatuses.js';

/** A host's tunnels, read-only (the host editor shows them); they are edited on the dashboard. */
export function HostTunnelList({ tunnels, onOpenDashboard }: { tunnels: Tunnel[]; onOpenDashboard(): void }) {
  const statuses = useTunnelStatuses();
  if (tunnels.length === 0) return null;
  return (
    <div className="host-tunnels" data-testid="host-tunnels">
      <h3 className="form-section">Tunnels through this host</h3>
      <ul>
        {tunnels.map((t) => (
          <li key={t.id}>
            <span className={`kind-badge kind-${t.kind}`} title={kindTitle[t.kind]}>
              {kindLetter[t.kind]}
            </span>
            <span className="host-tunnel-name">{t.name}</span>
            <code>{describeSpec(t, statuses.get(t.id)?.boundPort ?? null)}</code>
            <StatePill status={statuses.get(t.id)} />
          </li>
        ))}
      </ul>
      <button type="button" className="link" data-testid="open-tunnels" onClick={onOpenDashboard}>
        Open the tunnel dashboard
      </button>
    </div>
  );
}
