import { useTree } from '../hosts/TreeProvider.js';
import { RotateCw, ScrollText, Stethoscope, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { layerOf, type WarrenError } from '../../../shared/errors.js';
import { isLocal, type TerminalTarget, type Target } from '../../../shared/model.js';
import { useDoctor } from '../doctor/DoctorProvider.js';
import { JumpChain } from '../hosts/JumpChain.js';
import { effectiveJump, isHop, jumpChain } from '../hosts/jumpHops.js';
import { ReplaceHostKeyButton } from './ReplaceHostKey.js';
import { LogView } from './SessionLog.js';

const listLabels: Record<string, string> = {
  offered: 'The server offered',
  tried: 'Warren tried',
  keyProblems: 'Key problems',
};

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The string lists in an error's detail, e.g. the auth methods offered and the keys tried (the log has its own box). */
function detailLists(detail: WarrenError['detail']): [string, string[]][] {
  return Object.entries(detail ?? {}).flatMap(([key, value]) =>
    // an empty list says nothing: no heading for it
    Array.isArray(value) && value.length > 0 && key !== 'log' ? [[listLabels[key] ?? key, strings(value)] as [string, string[]]] : [],
  );
}

/** The chain to a saved host with the hop that failed in red; just that hop when the tree does not know the chain. */
function FailedChain({ target, title, hop }: { target: Target; title: string; hop: string }) {
  const tree = useTree();
  const host = tree && 'hostId' in target ? tree.hosts.find((h) => h.id === target.hostId) : undefined;
  const hops = (host && tree && jumpChain(effectiveJump(host, tree.groups), tree)) || [];
  const known = hops.some((h) => isHop(h, hop));
  return <JumpChain hops={known ? hops : [{ name: hop, host: null, address: hop }]} target={title} failing={hop} />;
}

interface ConnectErrorProps {
  error: WarrenError;
  /** what the terminal connects to, and its name, to draw the jump chain of a failed hop (a local shell has none, nor a doctor) */
  target: TerminalTarget;
  title: string;
  onRetry(): void;
}

/** Why a terminal could not connect (or lost its connection), by layer and by jump host, with the session log, a retry and the doctor. */
export function ConnectError({ error, target, title, onRetry }: ConnectErrorProps) {
  const [showLog, setShowLog] = useState(false);
  const { diagnose } = useDoctor();
  const hop = typeof error.detail?.hop === 'string' ? error.detail.hop : null;
  const log = strings(error.detail?.log);
  const ssh = isLocal(target) ? null : target;
  return (
    <div className="connect-error" data-testid="connect-error" data-code={error.code} data-hop={hop ?? undefined} role="alert">
      <h3>
        <TriangleAlert size={18} /> {ssh ? layerOf[error.code] : 'Local shell'}
        {hop && (
          <span className="connect-error-hop" data-testid="failed-hop">
            via jump host <strong>{hop}</strong>
          </span>
        )}
      </h3>
      {hop && ssh && <FailedChain target={ssh} title={title} hop={hop} />}
      <p className="connect-error-message">{error.message}</p>
      {detailLists(error.detail).map(([label, items]) => (
        <div key={label} className="connect-error-list">
          <span>{label}:</span>
          <ul>
            {items.map((item) => (
              <li key={item}>
                <code>{item}</code>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <div className="connect-error-actions">
        <button type="button" className="primary" data-testid="retry" onClick={onRetry}>
          <RotateCw size={14} /> Retry
        </button>
        {ssh && (
          <button
            type="button"
            data-testid="diagnose"
            title="Run the connection doctor: check every step of the way to this host"
            onClick={() => diagnose(ssh, title)}
          >
            <Stethoscope size={14} /> Diagnose
          </button>
        )}
        {error.code === 'HOST_KEY_CHANGED' && ssh && <ReplaceHostKeyButton testId="replace-hostkey-open" target={ssh} hop={hop} onReplaced={onRetry} />}
        {log.length > 0 && (
          <button type="button" data-testid="show-log" aria-expanded={showLog} onClick={() => setShowLog((s) => !s)}>
            <ScrollText size={14} /> {showLog ? 'Hide log' : 'Show log'}
          </button>
        )}
      </div>
      {showLog && <LogView lines={log} title="Log of the failed attempt" />}
    </div>
  );
}
