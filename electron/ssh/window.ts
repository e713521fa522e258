// Receive windows sized for the path, as HPN-SSH sizes them. A channel's window caps how much the
// server may send before it hears from us again: ssh2 announces 2 MiB and tops it up once it falls to
// 1 MiB, so on a long link at most ~1–2 MiB travel per round trip (50 ms: ~20–40 MB/s, whatever the
// line). Here each channel measures what it receives over each round trip; while that fills more than
// half of its window (the window, not the line, is the limit), the window doubles, up to a cap. On
// loopback and LANs the bandwidth-delay product stays far below 2 MiB, so nothing changes there.
// Memory stays bounded: the window only grows while the reader keeps up, and never past WINDOW_CAP.
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { SSH2_WINDOW, watchReceiveWindow } from '../agent/ssh2-internals.js';

/** the most one channel's window grows to (what the server may have in flight to it) */
export const WINDOW_CAP = 16 * 1024 * 1024;
/** the shortest interval a rate is measured over (the RTT, when longer) */
const MIN_SAMPLE_MS = 20;

/**
 * Grows `channel`'s receive window with the measured bandwidth-delay product. `rttMs` is the
 * connection's round trip as last measured (null until it is known: then ssh2's window stays).
 */
export function tuneReceiveWindow(channel: ClientChannel | SFTPWrapper, rttMs: () => number | null): void {
  let target = SSH2_WINDOW;
  let since = performance.now();
  let bytes = 0;
  const w = watchReceiveWindow(channel, (n, accepted) => {
    bytes += n;
    const rtt = rttMs();
    const now = performance.now();
    if (rtt !== null && now - since >= Math.max(rtt, MIN_SAMPLE_MS)) {
      // what arrived per round trip: the share of the window the path holds (grown only while the reader keeps up)
      const perRtt = (bytes / (now - since)) * rtt;
      if (accepted && perRtt > target / 2 && target < WINDOW_CAP) target = Math.min(WINDOW_CAP, target * 2);
      since = now;
      bytes = 0;
    }
    // ssh2 refills to its 2 MiB by itself; above that, refill to the target once half of it is used
    if (accepted && target > SSH2_WINDOW && w.window() < target / 2) w.grant(target - w.window());
  });
}
