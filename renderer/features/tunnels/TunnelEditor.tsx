import { TriangleAlert } from 'lucide-react';
import { useState, type InputHTMLAttributes } from 'react';
import type { CallInput } from '../../../shared/contract.js';
import { isLoopback, type HostRecord, type Tunnel, type TunnelKind } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { Modal } from '../../lib/Modal.js';
import { EditorActions, Field, FormError, noSecret, SecretField, secretChange } from '../hosts/fields.js';
import { useSubmit } from '../hosts/useSubmit.js';
import { fieldsOf, formProblems, patchOf, type TunnelForm } from './tunnelForm.js';

const kinds: Record<TunnelKind, { label: string; explain: string; bindSide: string; destSide: string }> = {
  local: {
    label: 'Local (-L)',
    explain: 'A port on this machine reaches a destination through the server, e.g. a database only the server can see.',
    bindSide: 'Listen on this machine',
    destSide: 'Destination, as the server reaches it',
  },
  remote: {
    label: 'Remote (-R)',
    explain: 'A port on the server reaches a destination from this machine, e.g. shows your local dev server to the server.',
    bindSide: 'Listen on the server',
    destSide: 'Destination, as this machine reaches it',
  },
  dynamic: {
    label: 'Dynamic (-D)',
    explain: 'A SOCKS5 proxy on this machine: programs set to use it connect anywhere through the server.',
    bindSide: 'SOCKS proxy on this machine',
    destSide: '',
  },
};

interface TunnelEditorProps {
  /** the tunnel to edit; null: create a new one from `initial` */
  tunnel: Tunnel | null;
  initial: TunnelForm;
  hosts: HostRecord[];
  /** a duplicate of a tunnel with a SOCKS password: the password is not copied */
  note?: string;
  onClose(): void;
}

export function TunnelEditor({ tunnel, initial, hosts, note, onClose }: TunnelEditorProps) {
  const client = useClient();
  const { reportError } = useFeedback();
  const [form, setForm] = useState(initial);
  const [socksPassword, setSocksPassword] = useState(noSecret);
  const [tried, setTried] = useState(false);
  const set = <K extends keyof TunnelForm>(key: K, value: TunnelForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const passwordKept = (tunnel?.hasSocksPassword ?? false) && !socksPassword.forget;
  const problems = formProblems(form, passwordKept || socksPassword.value !== '');
  const kind = kinds[form.kind];
  const exposedAddress = form.bindAddress.trim() !== '' && !isLoopback(form.bindAddress.trim());

  const save = async () => {
    if (!tunnel) {
      const input: CallInput<'tunnels.create'> = fieldsOf(form);
      if (socksPassword.value && form.kind === 'dynamic') input.socksPassword = socksPassword.value;
      await client.call('tunnels.create', input);
      return;
    }
    const patch = patchOf(initial, form);
    const password = form.kind === 'dynamic' ? secretChange(socksPassword) : tunnel.hasSocksPassword ? null : undefined;
    if (password !== undefined) patch.socksPassword = password;
    if (Object.keys(patch).length > 0) await client.call('tunnels.update', { id: tunnel.id, patch });
  };
  const { submit, busy, error } = useSubmit(save, onClose);
  const suggestPort = () =>
    client.call('tunnels.freePort', { bindAddress: form.bindAddress.trim() || '127.0.0.1' }).then((r) => set('bindPort', String(r.port)), reportError);
  const trySubmit = () => {
    setTried(true);
    if (problems.length === 0) submit();
  };

  const text = (
    key: 'name' | 'bindAddress' | 'bindPort' | 'destHost' | 'destPort' | 'socksUser',
    label: string,
    extra: InputHTMLAttributes<HTMLInputElement> = {},
  ) => (
    <Field label={label}>
      <input name={key} value={form[key]} autoComplete="off" spellCheck={false} onChange={(e) => set(key, e.target.value)} {...extra} />
    </Field>
  );

  return (
    <Modal
      testId="tunnel-editor"
      title={tunnel ? `Edit tunnel ${tunnel.name}` : 'New tunnel'}
      onSubmit={trySubmit}
      onCancel={onClose}
      actions={<EditorActions busy={busy} onCancel={onClose} />}
      wide
    >
      <div className="form-grid">
        {text('name', 'Name', { autoFocus: true, placeholder: 'postgres on db' })}
        <Field label="Through host">
          <select name="hostId" value={form.hostId} onChange={(e) => set('hostId', e.target.value)}>
            {hosts.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Kind" wide extra={<p className="form-note kind-explain">{kind.explain}</p>}>
          <select name="kind" value={form.kind} onChange={(e) => set('kind', e.target.value as TunnelKind)}>
            {Object.entries(kinds).map(([value, k]) => (
              <option key={value} value={value}>
                {k.label}
              </option>
            ))}
          </select>
        </Field>

        <h3 className="form-section">{kind.bindSide}</h3>
        {text('bindAddress', 'Address', { placeholder: '127.0.0.1' })}
        {form.kind === 'remote' ? (
          text('bindPort', 'Port', { type: 'number', min: 0, max: 65535, placeholder: '0 = the server picks one' })
        ) : (
          <Field
            label="Port"
            extra={
              <button type="button" className="link field-link" data-testid="suggest-port" onClick={() => void suggestPort()}>
                Use a free port
              </button>
            }
          >
            <input
              name="bindPort"
              type="number"
              min={1}
              max={65535}
              value={form.bindPort}
              placeholder="5432"
              autoComplete="off"
              onChange={(e) => set('bindPort', e.target.value)}
            />
          </Field>
        )}
        {exposedAddress && (
          <div className="exposed-warning field-wide" role="alert" data-testid="exposed-warning">
            <p>
              <TriangleAlert size={14} /> <strong>{form.bindAddress.trim()}</strong> is not a loopback address: anyone who can reach{' '}
              {form.kind === 'remote' ? 'the server' : 'this machine'} over the network can use this port.
            </p>
            <label className="checkbox">
              <input type="checkbox" name="exposed" checked={form.exposed} onChange={(e) => set('exposed', e.target.checked)} />
              Expose this port to the network
            </label>
          </div>
        )}

        {form.kind !== 'dynamic' ? (
          <>
            <h3 className="form-section">{kind.destSide}</h3>
            {text('destHost', 'Host', { placeholder: form.kind === 'local' ? 'db.internal' : 'localhost' })}
            {text('destPort', 'Port', { type: 'number', min: 1, max: 65535, placeholder: '5432' })}
          </>
        ) : (
          <>
            <h3 className="form-section">SOCKS authentication (optional)</h3>
            {text('socksUser', 'User', { placeholder: 'none: no authentication' })}
            <SecretField name="socksPassword" label="Password" saved={tunnel?.hasSocksPassword ?? false} state={socksPassword} onChange={setSocksPassword} />
          </>
        )}

        <label className="checkbox field-wide">
          <input type="checkbox" name="autoStart" checked={form.autoStart} onChange={(e) => set('autoStart', e.target.checked)} />
          Start when Warren starts
        </label>
      </div>
      {note && <p className="form-note">{note}</p>}
      {tunnel && <p className="form-note">Saving a running tunnel restarts it with the new settings.</p>}
      {problems.length > 0 && (
        <div className={tried ? 'form-error' : 'form-problems'} data-testid="tunnel-problems" role={tried ? 'alert' : undefined}>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <FormError error={error} />
    </Modal>
  );
}
