import { useEffect, useState } from 'react';
import type { TunnelStatus } from '../../../shared/contract.js';
import { formatSeconds } from './format.js';

/** Seconds until `at`, ticking each second; null when there is no `at`. */
function useCountdown(at: number | null): number | null {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (at === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The state as a coloured pill; while reconnecting, which attempt and when the next one starts. */
export function StatePill({ status }: { status: TunnelStatus | undefined }) {
  const state = status?.state ?? 'stopped';
  const seconds = useCountdown(state === 'reconnecting' ? (status?.nextRetryAt ?? null) : null);
  const text =
    state === 'reconnecting'
      ? `reconnecting (attempt ${status?.attempt ?? 0}, ${seconds ? `next try in ${formatSeconds(seconds)}` : 'trying now'})`
      : state;
  return (
    <span className={`state-pill state-${state}`} data-testid="tunnel-state" data-state={state}>
      {text}
    </span>
  );
}
