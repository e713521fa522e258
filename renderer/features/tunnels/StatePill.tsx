import type { TunnelStatus } from '../../../shared/tunnels.js';
import { useCountdown } from '../../lib/useCountdown.js';
import { formatSeconds } from './format.js';

/** The state as a coloured pill; while reconnecting, which attempt and when the next one starts. */
export function StatePill({ status }: { status: TunnelStatus | undefined }) {
  const state = status?.state ?? 'stopped';
  const seconds = useCountdown(state === 'reconnecting' ? (status?.nextRetryAt ?? null) : null);
  const text =
    state === 'reconnecting' ? `reconnecting (attempt ${status?.attempt ?? 0}, ${seconds ? `next try in ${formatSeconds(seconds)}` : 'trying now'})` : state;
  return (
    <span className={`state-pill state-${state}`} data-testid="tunnel-state" data-state={state} title={text}>
      {text}
    </span>
  );
}
