import { KeyRound } from 'lucide-react';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { WarrenError } from '../../../shared/errors.js';
import type { HostKeyChange } from '../../../shared/hostkeys.js';
import type { Target } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { asWarrenError } from '../../lib/errors.js';
import { Modal } from '../../lib/Modal.js';
import { FormError } from '../hosts/fields.js';
import { useSubmit } from '../hosts/useSubmit.js';

interface ReplaceHostKeyProps {
  target: Target;
  /** the jump host whose key changed, when it is not the target's */
  hop: string | null;
  onClose(): void;
  /** the new key is recorded: connect again */
  onReplaced(): void;
}

/**
 * "Replace the host key…", where a connection was refused for a changed key (a terminal's card, a
 * tunnel's row, a file pane), and the dialog it opens: drawn in body, so that no transform of the
 * place it sits in frames it. `onReplaced`: connect again.
 */
export function ReplaceHostKeyButton({ testId, target, hop, onReplaced }: { testId: string } & Omit<ReplaceHostKeyProps, 'onClose'>) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" data-testid={testId} onClick={() => setOpen(true)}>
        <KeyRound size={14} /> Replace the host key…
      </button>
      {open &&
        createPortal(
          <ReplaceHostKey
            target={target}
            hop={hop}
            onClose={() => setOpen(false)}
            onReplaced={() => {
              setOpen(false);
              onReplaced();
            }}
          />,
          document.body,
        )}
    </>
  );
}

/** where the server keeps the key of that type, for the command that prints its fingerprint there */
function hostKeyFile(type: string): string {
  const name = type === 'ssh-ed25519' ? 'ed25519' : type === 'ssh-rsa' ? 'rsa' : type.startsWith('ecdsa-') ? 'ecdsa' : '*';
  return `/etc/ssh/ssh_host_${name}_key.pub`;
}

/**
 * After a refused changed host key: the old key (and the known_hosts lines that hold it) beside the one
 * the server presents now, fetched afresh; Replace is enabled only once the user says they checked the
 * new fingerprint another way (the administrator, the server's console).
 */
function ReplaceHostKey({ target, hop, onClose, onReplaced }: ReplaceHostKeyProps) {
  const client = useClient();
  const [change, setChange] = useState<HostKeyChange | null>(null);
  const [failed, setFailed] = useState<WarrenError | null>(null);
  const [verified, setVerified] = useState(false);
  useEffect(() => {
    let open = true;
    client.call('hostkeys.inspect', { target, ...(hop ? { hop } : {}) }).then(
      (c) => open && setChange(c),
      (e: unknown) => open && setFailed(asWarrenError(e)),
    );
    return () => {
      open = false;
    };
  }, [client, target, hop]);
  // the server fetches the key again and goes on only if it is still the one shown here
  const { submit, busy, error } = useSubmit(async () => {
    await client.call('hostkeys.replace', { target, ...(hop ? { hop } : {}), fingerprint: change!.fingerprint });
  }, onReplaced);
  const ready = change !== null && verified;
  const old = change?.stale[0];
  return (
    <Modal
      testId="replace-hostkey"
      wide
      title={
        <>
          <KeyRound size={15} /> Replace the host key{change ? ` of ${change.name}` : ''}
        </>
      }
      onSubmit={() => ready && submit()}
      onCancel={onClose}
      data={{ 'data-busy': String(busy) }}
      actions={
        <>
          <button type="button" data-testid="cancel" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" data-testid="replace" disabled={!ready || busy}>
            {busy ? 'Replacing…' : 'Replace'}
          </button>
        </>
      }
    >
      {!change && !failed && <p className="muted">Fetching the key the server presents now (without logging in)…</p>}
      <FormError error={failed ?? error} />
      {change && old && (
        <>
          <div className="hostkey-compare">
            <section data-testid="old-key">
              <h4>Known until now</h4>
              <code className="fingerprint">{old.fingerprint}</code>
              <ul className="hostkey-lines">
                {change.stale.map((s) => (
                  <li key={`${s.file}:${s.line}`}>
                    <code>
                      {s.file}:{s.line}
                    </code>
                    {s.hashed && ' (hashed)'}
                    {s.fingerprint !== old.fingerprint && <code> {s.fingerprint}</code>}
                  </li>
                ))}
              </ul>
            </section>
            <section data-testid="new-key">
              <h4>Presented now</h4>
              <code className="fingerprint">{change.fingerprint}</code>
              <p className="muted">
                {change.keyType}, fetched just now {change.route}
              </p>
            </section>
          </div>
          <p className="warning">
            A changed key means the server was reinstalled or its keys were renewed, or someone is intercepting the connection. Compare the new fingerprint with
            one you get another way: from its administrator, or on the server itself (<code>ssh-keygen -lf {hostKeyFile(change.keyType)}</code>).
          </p>
          <label className="checkbox">
            <input type="checkbox" data-testid="verified" checked={verified} onChange={(e) => setVerified(e.target.checked)} autoFocus />I compared the new
            fingerprint with one I got another way, and they match
          </label>
          <p className="form-note">
            Replace takes {change.name} out of the line{change.stale.length > 1 ? 's' : ''} above and records the new key in {old.file}; the server must still
            present this key then.
          </p>
        </>
      )}
    </Modal>
  );
}
