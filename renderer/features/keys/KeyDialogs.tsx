import { KeyRound } from 'lucide-react';
import { useState } from 'react';
import type { KeyInfo, KeyType } from '../../../shared/keys.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { Modal } from '../../lib/Modal.js';
import { EditorActions, Field, FormError } from '../hosts/fields.js';
import { useSubmit } from '../hosts/useSubmit.js';

const bitChoices: Record<KeyType, number[]> = { ed25519: [256], ecdsa: [256, 384, 521], rsa: [3072, 4096, 8192] };

/** A passphrase typed twice; the mismatch is reported before anything is sent. */
function PassphrasePair({
  value,
  again,
  onChange,
  label = 'Passphrase',
}: {
  value: string;
  again: string;
  onChange(value: string, again: string): void;
  label?: string;
}) {
  return (
    <>
      <Field label={label}>
        <input
          name="passphrase"
          type="password"
          autoComplete="new-password"
          value={value}
          placeholder="none"
          onChange={(e) => onChange(e.target.value, again)}
        />
      </Field>
      <Field label="Confirm">
        <input name="passphrase2" type="password" autoComplete="new-password" value={again} onChange={(e) => onChange(value, e.target.value)} />
      </Field>
    </>
  );
}

const mismatch = (a: string, b: string) => (a !== b ? 'The passphrases differ.' : null);

/** A new key pair in Warren's key folder (or ~/.ssh). */
export function GenerateDialog({ onClose, onDone }: { onClose(): void; onDone(key: KeyInfo): void }) {
  const client = useClient();
  const [type, setType] = useState<KeyType>('ed25519');
  const [bits, setBits] = useState(256);
  const [name, setName] = useState('id_ed25519_warren');
  const [comment, setComment] = useState('');
  const [folder, setFolder] = useState<'warren' | 'ssh'>('warren');
  const [pass, setPass] = useState(['', '']);
  const [problem, setProblem] = useState<string | null>(null);
  const { submit, busy, error } = useSubmit(async () => {
    const key = await client.call('keys.generate', {
      type,
      bits,
      name,
      folder,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(pass[0] ? { passphrase: pass[0] } : {}),
    });
    onDone(key);
  }, onClose);
  const pickType = (t: KeyType) => {
    setType(t);
    setBits(bitChoices[t][0]!);
    if (/^id_(ed25519|ecdsa|rsa)_warren$/.test(name)) setName(`id_${t}_warren`);
  };
  return (
    <Modal
      testId="key-generate-dialog"
      title={
        <>
          <KeyRound size={15} /> Generate key
        </>
      }
      onSubmit={() => {
        const m = mismatch(pass[0]!, pass[1]!);
        setProblem(m);
        if (!m) submit();
      }}
      onCancel={onClose}
      actions={<EditorActions busy={busy} onCancel={onClose} />}
    >
      <div className="form-grid">
        <Field label="Type">
          <select name="type" value={type} onChange={(e) => pickType(e.target.value as KeyType)}>
            <option value="ed25519">Ed25519 (recommended)</option>
            <option value="ecdsa">ECDSA</option>
            <option value="rsa">RSA</option>
          </select>
        </Field>
        <Field label="Bits">
          <select name="bits" value={bits} disabled={type === 'ed25519'} onChange={(e) => setBits(Number(e.target.value))}>
            {bitChoices[type].map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </Field>
        <Field label="File name">
          <input name="name" value={name} spellCheck={false} autoFocus onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Folder">
          <select name="folder" value={folder} onChange={(e) => setFolder(e.target.value as 'warren' | 'ssh')}>
            <option value="warren">Warren's key folder</option>
            <option value="ssh">~/.ssh</option>
          </select>
        </Field>
        <Field label="Comment" wide>
          <input name="comment" value={comment} placeholder="e.g. me@laptop" spellCheck={false} onChange={(e) => setComment(e.target.value)} />
        </Field>
        <PassphrasePair value={pass[0]!} again={pass[1]!} onChange={(a, b) => setPass([a, b])} />
      </div>
      <p className="form-note">A passphrase keeps the key useless to whoever copies the file; the agent saves typing it.</p>
      {problem && <div className="form-error">{problem}</div>}
      <FormError error={error} />
    </Modal>
  );
}

/** Copies a key file from anywhere into Warren's key folder. */
export function ImportKeyDialog({ onClose, onDone }: { onClose(): void; onDone(key: KeyInfo): void }) {
  const client = useClient();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    onDone(await client.call('keys.import', { path, ...(name.trim() ? { name: name.trim() } : {}) }));
  }, onClose);
  return (
    <Modal testId="key-import-dialog" title="Import key" onSubmit={submit} onCancel={onClose} actions={<EditorActions busy={busy} onCancel={onClose} />}>
      <Field label="Private key file">
        <input name="path" value={path} placeholder="/path/to/id_ed25519" spellCheck={false} autoFocus onChange={(e) => setPath(e.target.value)} />
      </Field>
      <Field label="Name in Warren's folder">
        <input name="name" value={name} placeholder="same as the file" spellCheck={false} onChange={(e) => setName(e.target.value)} />
      </Field>
      <p className="form-note">The .pub and -cert.pub files beside it come along; the copy is 0600.</p>
      <FormError error={error} />
    </Modal>
  );
}

/** `ssh-keygen -p`: an empty new passphrase removes it. */
export function PassphraseDialog({ keyInfo, onClose, onDone }: { keyInfo: KeyInfo; onClose(): void; onDone(): void }) {
  const client = useClient();
  const { notify } = useFeedback();
  const [old, setOld] = useState('');
  const [pass, setPass] = useState(['', '']);
  const [problem, setProblem] = useState<string | null>(null);
  const { submit, busy, error } = useSubmit(async () => {
    await client.call('keys.changePassphrase', { path: keyInfo.path, ...(keyInfo.encrypted ? { oldPassphrase: old } : {}), newPassphrase: pass[0]! });
    notify(pass[0] ? `New passphrase set for ${keyInfo.name}` : `Passphrase removed from ${keyInfo.name}`);
    onDone();
  }, onClose);
  return (
    <Modal
      testId="key-passphrase-dialog"
      title={`Passphrase of ${keyInfo.name}`}
      onSubmit={() => {
        const m = mismatch(pass[0]!, pass[1]!);
        setProblem(m);
        if (!m) submit();
      }}
      onCancel={onClose}
      actions={<EditorActions busy={busy} onCancel={onClose} />}
    >
      <div className="form-grid">
        {keyInfo.encrypted && (
          <Field label="Current passphrase" wide>
            <input name="old" type="password" value={old} autoFocus onChange={(e) => setOld(e.target.value)} />
          </Field>
        )}
        <PassphrasePair label="New passphrase" value={pass[0]!} again={pass[1]!} onChange={(a, b) => setPass([a, b])} />
      </div>
      <p className="form-note">Leave it empty to remove the passphrase. Hosts that saved the old one get the new one.</p>
      {problem && <div className="form-error">{problem}</div>}
      <FormError error={error} />
    </Modal>
  );
}

/** `ssh-add [-t lifetime] [-c]` */
export function AgentAddDialog({ keyInfo, onClose, onDone }: { keyInfo: KeyInfo; onClose(): void; onDone(): void }) {
  const client = useClient();
  const { notify } = useFeedback();
  const [hours, setHours] = useState('8');
  const [confirm, setConfirm] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    const h = Number(hours);
    const lifetimeSeconds = hours.trim() && h > 0 ? Math.round(h * 3600) : undefined;
    const { added } = await client.call('agent.add', {
      path: keyInfo.path,
      confirm,
      ...(lifetimeSeconds ? { lifetimeSeconds } : {}),
      ...(keyInfo.encrypted ? { passphrase } : {}),
    });
    notify(`Added to the agent: ${added.length} identit${added.length === 1 ? 'y' : 'ies'}`);
    onDone();
  }, onClose);
  return (
    <Modal
      testId="agent-add-dialog"
      title={`Add ${keyInfo.name} to the agent`}
      onSubmit={submit}
      onCancel={onClose}
      actions={<EditorActions busy={busy} onCancel={onClose} />}
    >
      <div className="form-grid">
        <Field label="Lifetime (hours)">
          <input name="hours" type="number" min="0" step="any" value={hours} placeholder="no limit" onChange={(e) => setHours(e.target.value)} />
        </Field>
        {keyInfo.encrypted && (
          <Field label="Passphrase">
            <input name="passphrase" type="password" value={passphrase} autoFocus onChange={(e) => setPassphrase(e.target.value)} />
          </Field>
        )}
        <label className="checkbox field-wide">
          <input name="confirm" type="checkbox" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} /> Confirm each use (ssh-add -c; needs
          ssh-askpass)
        </label>
      </div>
      <p className="form-note">The agent forgets the key after its lifetime; empty keeps it until the agent stops.</p>
      <FormError error={error} />
    </Modal>
  );
}
