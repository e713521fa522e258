import { useTree } from '../hosts/TreeProvider.js';
import { AlertTriangle, Copy, FileInput, KeyRound, Lock, LockOpen, Plus, RefreshCw, ShieldCheck, Trash2, Upload, UserPlus } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import type { WarrenError } from '../../../shared/errors.js';
import { certState, type AgentIdentity, type CertInfo, type KeyInfo } from '../../../shared/keys.js';
import type { HostRecord } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { ConfirmDialog } from '../../lib/ConfirmDialog.js';
import { asWarrenError } from '../../lib/errors.js';
import { useFeedback } from '../../lib/feedback.js';
import { useCopy } from '../../lib/useCopy.js';
import { byName, DeployDialog } from './DeployDialog.js';
import { AgentAddDialog, GenerateDialog, ImportKeyDialog, PassphraseDialog } from './KeyDialogs.js';
import { RotateDialog } from './RotateDialog.js';
import './keys.css';

type Dialog =
  | { kind: 'generate' }
  | { kind: 'import' }
  | { kind: 'passphrase'; key: KeyInfo }
  | { kind: 'agent-add'; key: KeyInfo }
  | { kind: 'deploy'; key: KeyInfo }
  | { kind: 'rotate'; host: HostRecord }
  | { kind: 'confirm'; message: string; okLabel: string; run(): Promise<unknown> };

type AgentState = { socket: string; identities: AgentIdentity[] } | { error: WarrenError };

const fmtDate = (ms: number | null, none: string) => (ms === null ? none : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

/** The key manager: key files, the agent, and the deploy / rotate actions. */
export function KeysView() {
  const client = useClient();
  const { reportError } = useFeedback();
  const copy = useCopy();
  const [keys, setKeys] = useState<KeyInfo[] | null>(null);
  const [agent, setAgent] = useState<AgentState | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const hosts = (useTree()?.hosts ?? []).toSorted(byName);
  const [rotateHost, setRotateHost] = useState('');

  const reload = useCallback(() => {
    client.call('keys.list', {}).then(setKeys, reportError);
    client.call('agent.list', {}).then(setAgent, (e: unknown) => setAgent({ error: asWarrenError(e) }));
  }, [client, reportError]);
  useEffect(reload, [reload]);

  const close = () => setDialog(null);
  const copyPublic = (key: KeyInfo) => client.call('keys.publicKey', { path: key.path }).then(({ line }) => copy(line), reportError);
  const chosenHost = hosts.find((h) => h.id === rotateHost) ?? hosts[0];

  return (
    <div className="dashboard keys-view" data-testid="keys">
      <div className="dashboard-toolbar">
        <h2>
          <KeyRound size={15} /> Keys
        </h2>
        <span className="muted">~/.ssh and Warren's key folder</span>
        <span className="spacer" />
        <button type="button" data-testid="key-reload" title="Read the key folders and the agent again" onClick={reload}>
          <RefreshCw size={13} />
        </button>
        <button type="button" data-testid="key-import" onClick={() => setDialog({ kind: 'import' })}>
          <FileInput size={14} /> Import key
        </button>
        <button type="button" className="primary" data-testid="key-generate" onClick={() => setDialog({ kind: 'generate' })}>
          <Plus size={14} /> Generate key
        </button>
      </div>

      <section className="keys-section">
        {keys === null ? (
          <p className="muted">Reading the key folders…</p>
        ) : keys.length === 0 ? (
          <p className="muted" data-testid="keys-empty">
            No keys yet. Generate an Ed25519 key with a passphrase: the safe default.
          </p>
        ) : (
          <div className="key-list">
            {keys.map((key) => (
              <KeyRow
                key={key.path}
                keyInfo={key}
                onCopy={() => void copyPublic(key)}
                onPassphrase={() => setDialog({ kind: 'passphrase', key })}
                onAgent={() => setDialog({ kind: 'agent-add', key })}
                onDeploy={() => setDialog({ kind: 'deploy', key })}
              />
            ))}
          </div>
        )}
      </section>

      <section className="keys-section">
        <h3 className="keys-heading">Rotate a host's key</h3>
        <div className="keys-rotate">
          <select aria-label="Host to rotate" data-testid="rotate-host" value={chosenHost?.id ?? ''} onChange={(e) => setRotateHost(e.target.value)}>
            {hosts.length === 0 && <option value="">no saved hosts</option>}
            {hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
          <button type="button" data-testid="key-rotate" disabled={!chosenHost} onClick={() => chosenHost && setDialog({ kind: 'rotate', host: chosenHost })}>
            <RefreshCw size={13} /> Rotate key
          </button>
          <span className="muted">new key, deploy, test, switch, remove the old line: the old key works until the new one is proven</span>
        </div>
      </section>

      <AgentSection
        agent={agent}
        onRemove={(id) =>
          setDialog({
            kind: 'confirm',
            message: `Remove ${id.fingerprint} (${id.comment || id.type}) from the agent?`,
            okLabel: 'Remove',
            run: () => client.call('agent.remove', { fingerprint: id.fingerprint }),
          })
        }
        onRemoveAll={() =>
          setDialog({ kind: 'confirm', message: 'Remove every identity from the agent?', okLabel: 'Remove all', run: () => client.call('agent.removeAll', {}) })
        }
      />

      {dialog?.kind === 'generate' && <GenerateDialog onClose={close} onDone={reload} />}
      {dialog?.kind === 'import' && <ImportKeyDialog onClose={close} onDone={reload} />}
      {dialog?.kind === 'passphrase' && <PassphraseDialog keyInfo={dialog.key} onClose={close} onDone={reload} />}
      {dialog?.kind === 'agent-add' && <AgentAddDialog keyInfo={dialog.key} onClose={close} onDone={reload} />}
      {dialog?.kind === 'deploy' && <DeployDialog keyInfo={dialog.key} onClose={close} />}
      {dialog?.kind === 'rotate' && <RotateDialog host={dialog.host} onClose={close} onDone={reload} />}
      {dialog?.kind === 'confirm' && (
        <ConfirmDialog
          message={dialog.message}
          okLabel={dialog.okLabel}
          onCancel={close}
          onConfirm={() => {
            close();
            dialog.run().then(reload, reportError);
          }}
        />
      )}
    </div>
  );
}

interface KeyRowProps {
  keyInfo: KeyInfo;
  onCopy(): void;
  onPassphrase(): void;
  onAgent(): void;
  onDeploy(): void;
}

function KeyRow({ keyInfo: k, onCopy, onPassphrase, onAgent, onDeploy }: KeyRowProps) {
  return (
    <div className="key-row" data-testid="key-row" data-name={k.name} data-path={k.path}>
      <div className="key-main">
        <span className="key-lock" title={k.encrypted ? 'Protected by a passphrase' : 'No passphrase'} data-encrypted={k.encrypted}>
          {k.encrypted ? <Lock size={14} /> : <LockOpen size={14} />}
        </span>
        <span className="key-name">{k.name}</span>
        <span className="key-type">
          {k.type ?? '?'}
          {k.bits !== null && ` ${k.bits}`}
        </span>
        <span className="key-comment muted">{k.comment}</span>
        <span className="spacer" />
        <span className="key-folder">{k.folder === 'ssh' ? '~/.ssh' : 'Warren'}</span>
        <span className="key-actions">
          <button type="button" className="icon-button" data-testid="key-copy" title="Copy the public key" aria-label="Copy the public key" onClick={onCopy}>
            <Copy size={14} />
          </button>
          <button
            type="button"
            className="icon-button"
            data-testid="key-passphrase"
            title="Change the passphrase"
            aria-label="Change the passphrase"
            onClick={onPassphrase}
          >
            <Lock size={14} />
          </button>
          <button type="button" className="icon-button" data-testid="key-agent-add" title="Add to the agent" aria-label="Add to the agent" onClick={onAgent}>
            <UserPlus size={14} />
          </button>
          <button type="button" data-testid="key-deploy" title="Deploy the public key to a host" onClick={onDeploy}>
            <Upload size={13} /> Deploy
          </button>
        </span>
      </div>
      <div className="key-sub">
        <code className="key-fp" data-testid="key-fingerprint">
          {k.fingerprint ?? 'fingerprint unknown (public key locked)'}
        </code>
        <code className="key-path" data-testid="key-path" title={k.path}>
          {k.path}
        </code>
      </div>
      {k.certificate && <CertLine cert={k.certificate} />}
      {k.problem && (
        <div className="key-problem">
          <AlertTriangle size={13} /> {k.problem}
        </div>
      )}
    </div>
  );
}

function CertLine({ cert }: { cert: CertInfo }) {
  const state = certState(cert);
  return (
    <div className={`key-cert cert-${state.state}`} data-testid="key-cert" data-state={state.state}>
      <ShieldCheck size={13} /> certificate <code>{cert.keyId}</code> for {cert.principals.length ? cert.principals.join(', ') : 'any principal'}, valid{' '}
      {fmtDate(cert.validAfter, 'always')} → {fmtDate(cert.validBefore, 'forever')}
      {state.message && (
        <span className="cert-warning">
          <AlertTriangle size={13} /> {state.message}
        </span>
      )}
    </div>
  );
}

function AgentSection({ agent, onRemove, onRemoveAll }: { agent: AgentState | null; onRemove(id: AgentIdentity): void; onRemoveAll(): void }) {
  return (
    <section className="keys-section" data-testid="agent">
      <div className="keys-heading-row">
        <h3 className="keys-heading">ssh-agent</h3>
        {agent && 'socket' in agent && <code className="muted">{agent.socket}</code>}
        <span className="spacer" />
        {agent && 'identities' in agent && agent.identities.length > 0 && (
          <button type="button" data-testid="agent-remove-all" onClick={onRemoveAll}>
            <Trash2 size={13} /> Remove all
          </button>
        )}
      </div>
      {agent === null ? (
        <p className="muted">Asking the agent…</p>
      ) : 'error' in agent ? (
        <p className="agent-missing" data-testid="agent-missing">
          <AlertTriangle size={14} /> {agent.error.message}
        </p>
      ) : agent.identities.length === 0 ? (
        <p className="muted" data-testid="agent-empty">
          The agent holds no keys. Add one from the list above (with a lifetime, as <code>ssh-add -t 8h</code>).
        </p>
      ) : (
        <div className="key-list">
          {agent.identities.map((id) => (
            <div
              key={`${id.fingerprint}-${id.certificate ? 'cert' : 'key'}`}
              className="key-row agent-row"
              data-testid="agent-identity"
              data-fingerprint={id.fingerprint}
            >
              <div className="key-main">
                <span className="key-type">
                  {id.type}
                  {id.bits !== null && ` ${id.bits}`}
                </span>
                <code className="key-fp">{id.fingerprint}</code>
                <span className="key-comment muted">{id.comment}</span>
                {id.certificate && <span className="key-folder">certificate</span>}
                <span className="spacer" />
                <span className="key-actions">
                  <button
                    type="button"
                    className="icon-button"
                    data-testid="agent-remove"
                    title="Remove from the agent"
                    aria-label="Remove from the agent"
                    onClick={() => onRemove(id)}
                  >
                    <Trash2 size={14} />
                  </button>
                </span>
              </div>
              {id.certificate && <CertLine cert={id.certificate} />}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
