import { ArrowDown, ArrowUp, Copy, CopyPlus, Pencil, Plug, RotateCw, Trash2, TriangleAlert } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import type { TunnelStatus } from '../../../shared/tunnels.js';
import { layerOf } from '../../../shared/errors.js';
import type { Tunnel } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { ReplaceHostKeyButton } from '../terminal/ReplaceHostKey.js';
import { describeSpec, formatBytes, kindLetter, kindTitle } from './format.js';
import { Sparkline } from './Sparkline.js';
import { StatePill } from './StatePill.js';
import { isOn } from './TunnelStatuses.js';
import { useTunnelActions } from './useTunnelActions.js';

interface TunnelRowProps {
  tunnel: Tunnel;
  status: TunnelStatus | undefined;
  onEdit(): void;
  onDuplicate(): void;
  onDelete(): void;
}

/** One tunnel: switch, what it forwards, its state and traffic, why it failed, and what to do about it. */
export function TunnelRow({ tunnel, status, onEdit, onDuplicate, onDelete }: TunnelRowProps) {
  const actions = useTunnelActions();
  const state = status?.state ?? 'stopped';
  const on = isOn(state);
  const boundPort = status?.boundPort ?? null;
  const spec = describeSpec(tunnel, boundPort);
  return (
    <div className="tunnel-row" data-testid="tunnel-row" data-name={tunnel.name} data-state={state} data-bound-port={boundPort ?? undefined}>
      <button
        type="button"
        role="switch"
        className="switch"
        data-testid="tunnel-switch"
        aria-checked={on}
        aria-label={`${tunnel.name}: ${on ? 'on' : 'off'}`}
        onClick={() => void (on ? actions.stop(tunnel.id) : actions.start(tunnel.id))}
      />
      <span className="tunnel-name">
        <span className={`kind-badge kind-${tunnel.kind}`} title={kindTitle[tunnel.kind]}>
          {kindLetter[tunnel.kind]}
        </span>
        <span className="tunnel-name-text" title={tunnel.name}>
          {tunnel.name}
        </span>
      </span>
      <code className="tunnel-spec" title={`${spec}\n${kindTitle[tunnel.kind]}`}>
        {spec}
      </code>
      <StatePill status={status} />
      <span className="tunnel-connections" title="Open connections">
        <Plug size={12} />
        {status?.connections ?? 0}
      </span>
      <span className="tunnel-bytes">
        <Bytes testId="tunnel-bytes-in" bytes={status?.bytesIn ?? 0} title="Received from the far side">
          <ArrowDown size={12} />
        </Bytes>
        <Bytes testId="tunnel-bytes-out" bytes={status?.bytesOut ?? 0} title="Sent to the far side">
          <ArrowUp size={12} />
        </Bytes>
      </span>
      <Sparkline history={status?.history ?? []} />
      <span className="tunnel-actions">
        <IconButton testId="tunnel-copy" title="Copy as ssh command" onClick={() => void actions.copyCommand(tunnel.id)}>
          <Copy size={14} />
        </IconButton>
        <IconButton testId="tunnel-edit" title="Edit" onClick={onEdit}>
          <Pencil size={14} />
        </IconButton>
        <IconButton testId="tunnel-duplicate" title="Duplicate" onClick={onDuplicate}>
          <CopyPlus size={14} />
        </IconButton>
        <IconButton testId="tunnel-delete" title="Delete" onClick={onDelete}>
          <Trash2 size={14} />
        </IconButton>
      </span>
      {status && <Problem tunnel={tunnel} status={status} />}
    </div>
  );
}

/** The last error (by layer) or the warning, under the row, with the fix when there is one. */
function Problem({ tunnel, status }: { tunnel: Tunnel; status: TunnelStatus }) {
  const actions = useTunnelActions();
  const { error, warning, state } = status;
  if (error) {
    const portTaken = state === 'failed' && error.detail?.cause === 'EADDRINUSE';
    const hop = typeof error.detail?.hop === 'string' ? error.detail.hop : null;
    return (
      <div className="tunnel-problem tunnel-error" data-testid="tunnel-error" data-code={error.code}>
        <TriangleAlert size={13} />
        <span>
          <strong>{layerOf[error.code]}:</strong> {error.message}
        </span>
        {state === 'reconnecting' && (
          <button type="button" data-testid="tunnel-retry" onClick={() => void actions.start(tunnel.id)}>
            <RotateCw size={13} /> Retry now
          </button>
        )}
        {portTaken && <FreePortOffer key={status.since} bindAddress={tunnel.bindAddress} onUse={(port) => void actions.movePort(tunnel.id, port)} />}
        {error.code === 'HOST_KEY_CHANGED' && (
          <ReplaceHostKeyButton testId="tunnel-replace-hostkey" target={{ hostId: tunnel.hostId }} hop={hop} onReplaced={() => void actions.start(tunnel.id)} />
        )}
      </div>
    );
  }
  if (warning && isOn(state)) {
    return (
      <div className="tunnel-problem tunnel-warning" data-testid="tunnel-warning">
        <TriangleAlert size={13} />
        <span>{warning}</span>
      </div>
    );
  }
  return null;
}

/** "Use free port N": a port that is free on that address right now. */
function FreePortOffer({ bindAddress, onUse }: { bindAddress: string; onUse(port: number): void }) {
  const client = useClient();
  const { reportError } = useFeedback();
  const [port, setPort] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    client.call('tunnels.freePort', { bindAddress }).then((r) => live && setPort(r.port), reportError);
    return () => {
      live = false;
    };
  }, [client, reportError, bindAddress]);
  if (port === null) return null;
  return (
    <button type="button" className="primary" data-testid="tunnel-free-port" onClick={() => onUse(port)}>
      Use free port {port}
    </button>
  );
}

function Bytes({ testId, bytes, title, children }: { testId: string; bytes: number; title: string; children: ReactNode }) {
  return (
    <span data-testid={testId} data-bytes={bytes} title={`${title}: ${bytes.toLocaleString()} bytes`}>
      {children}
      {formatBytes(bytes)}
    </span>
  );
}

function IconButton({ testId, title, onClick, children }: { testId: string; title: string; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" className="icon-button" data-testid={testId} title={title} aria-label={title} onClick={onClick}>
      {children}
    </button>
  );
}
