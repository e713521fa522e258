import { Copy, RotateCw, X } from 'lucide-react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { useCopy } from '../../lib/useCopy.js';

/** An `ssh -v`-style log in a monospace box, scrolled to its newest line, with Copy and then the caller's buttons. */
export function LogView({ lines, title, children }: { lines: string[]; title: string; children?: ReactNode }) {
  const copy = useCopy();
  const box = useRef<HTMLPreElement>(null);
  useLayoutEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);
  return (
    <div className="session-log" data-testid="session-log">
      <div className="session-log-bar">
        <span className="session-log-title">{title}</span>
        <button type="button" data-testid="log-copy" disabled={lines.length === 0} onClick={() => void copy(lines.join('\n'))}>
          <Copy size={13} /> Copy
        </button>
        {children}
      </div>
      <pre ref={box} tabIndex={0}>
        {lines.length > 0 ? lines.join('\n') : 'Nothing logged yet.'}
      </pre>
    </div>
  );
}

/** The log of an open (or recently closed) connection, from `connections.log`, over the terminal. */
export function SessionLogPanel({ connectionId, onClose }: { connectionId: string; onClose(): void }) {
  const client = useClient();
  const { reportError } = useFeedback();
  const [lines, setLines] = useState<string[]>([]);
  const refresh = useCallback(() => {
    client.call('connections.log', { id: connectionId }).then((r) => setLines(r.lines), reportError);
  }, [client, reportError, connectionId]);
  useEffect(refresh, [refresh]);

  return (
    <div
      className="term-log-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <LogView lines={lines} title="Session log">
        <button type="button" data-testid="log-refresh" onClick={refresh}>
          <RotateCw size={13} /> Refresh
        </button>
        <button type="button" className="icon-button" data-testid="log-close" aria-label="Close the log" title="Close" onClick={onClose}>
          <X size={14} />
        </button>
      </LogView>
    </div>
  );
}
