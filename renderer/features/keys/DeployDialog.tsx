import { useTree } from '../hosts/TreeProvider.js';
import { CircleCheck, CircleX, Upload } from 'lucide-react';
import { useState } from 'react';
import { authorizedKeysOptions, type DeployResult, type KeyInfo, type KeyOptions } from '../../../shared/keys.js';
import type { HostRecord } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { Modal } from '../../lib/Modal.js';
import { Field, FormError } from '../hosts/fields.js';
import { useSubmit } from '../hosts/useSubmit.js';

const flags = [
  ['noPortForwarding', 'no-port-forwarding'],
  ['noAgentForwarding', 'no-agent-forwarding'],
  ['noX11Forwarding', 'no-X11-forwarding'],
  ['noPty', 'no-pty'],
] as const;

export const byName = (a: HostRecord, b: HostRecord) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });

/** ssh-copy-id done right: pick a saved host and options, then see the line, warnings and the login proof. */
export function DeployDialog({ keyInfo, onClose }: { keyInfo: KeyInfo; onClose(): void }) {
  const client = useClient();
  const hosts = (useTree()?.hosts ?? []).toSorted(byName);
  const [hostId, setHostId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [command, setCommand] = useState('');
  const [from, setFrom] = useState('');
  const [checked, setChecked] = useState<Partial<Record<(typeof flags)[number][0], boolean>>>({});
  const [result, setResult] = useState<DeployResult | null>(null);
  const options: KeyOptions = { ...(command.trim() ? { command: command.trim() } : {}), ...(from.trim() ? { from: from.trim() } : {}), ...checked };
  const preview = authorizedKeysOptions(options);
  const chosen = hostId || hosts[0]?.id || '';
  const { submit, busy, error } = useSubmit(
    async () => {
      setResult(
        await client.call('keys.deploy', {
          target: { hostId: chosen },
          path: keyInfo.path,
          ...(keyInfo.encrypted && passphrase ? { passphrase } : {}),
          ...(preview ? { options } : {}),
        }),
      );
    },
    () => {},
  );
  const hostName = hosts.find((h) => h.id === chosen)?.name ?? '';
  return (
    <Modal
      testId="key-deploy-dialog"
      wide
      title={
        <>
          <Upload size={15} /> Deploy {keyInfo.name}
        </>
      }
      onSubmit={result ? onClose : submit}
      onCancel={onClose}
      data={{ 'data-busy': String(busy) }}
      actions={
        result ? (
          <button type="submit" className="primary" data-testid="close" autoFocus>
            Close
          </button>
        ) : (
          <>
            <button type="button" data-testid="cancel" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" data-testid="deploy" disabled={busy || !chosen}>
              {busy ? 'Deploying…' : 'Deploy'}
            </button>
          </>
        )
      }
    >
      {result ? (
        <DeployReport result={result} host={hostName} />
      ) : (
        <>
          <div className="form-grid">
            <Field label="Host" wide>
              <select name="host" value={chosen} autoFocus onChange={(e) => setHostId(e.target.value)}>
                {hosts.length === 0 && <option value="">no saved hosts</option>}
                {hosts.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name} ({h.user ? `${h.user}@` : ''}
                    {h.hostname})
                  </option>
                ))}
              </select>
            </Field>
            {keyInfo.encrypted && (
              <Field label="Key passphrase (for the login proof)" wide>
                <input name="passphrase" type="password" value={passphrase} placeholder="asked when needed" onChange={(e) => setPassphrase(e.target.value)} />
              </Field>
            )}
            <div className="form-section">Restrictions (authorized_keys options, optional)</div>
            <Field label="Forced command">
              <input
                name="command"
                value={command}
                placeholder="e.g. /usr/bin/rsync --server …"
                spellCheck={false}
                onChange={(e) => setCommand(e.target.value)}
              />
            </Field>
            <Field label="From">
              <input name="from" value={from} placeholder="10.0.0.0/8,*.example.com" spellCheck={false} onChange={(e) => setFrom(e.target.value)} />
            </Field>
            <div className="key-flags field-wide">
              {flags.map(([k, label]) => (
                <label key={k} className="checkbox">
                  <input type="checkbox" name={k} checked={checked[k] ?? false} onChange={(e) => setChecked((c) => ({ ...c, [k]: e.target.checked }))} />{' '}
                  <code>{label}</code>
                </label>
              ))}
            </div>
          </div>
          <p className="form-note">
            The key is appended to <code>~/.ssh/authorized_keys</code> over the host's connection (700/600, never twice), then a fresh login with this key alone
            proves it.
            {preview && (
              <>
                {' '}
                Options: <code data-testid="deploy-options">{preview}</code>
              </>
            )}
          </p>
          <FormError error={error} />
        </>
      )}
    </Modal>
  );
}

function DeployReport({ result, host }: { result: DeployResult; host: string }) {
  return (
    <div className="deploy-report" data-testid="deploy-result" data-added={result.added} data-login={result.login.ok ? 'ok' : 'failed'}>
      <p>
        {result.added ? 'Line added to' : 'Already present in'} <code>{result.file}</code> on {host}
        {result.added ? '.' : '; nothing was written.'}
      </p>
      <pre className="key-line">{result.line}</pre>
      {result.warnings.length > 0 && (
        <div className="form-error" data-testid="deploy-warnings">
          sshd (StrictModes) may refuse the key:
          <ul>
            {result.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {result.login.ok ? (
        <p className="key-proof ok" data-testid="deploy-login">
          <CircleCheck size={15} /> login proof ok: a fresh login with this key alone succeeded
        </p>
      ) : (
        <p className="key-proof failed" data-testid="deploy-login">
          <CircleX size={15} /> login proof failed: {result.login.error.message}
        </p>
      )}
    </div>
  );
}
