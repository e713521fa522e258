import { useEffect, useState } from 'react';
import type { CallInput } from '../../../shared/contract.js';
import type { Group, HostRecord, Tunnel } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { Modal } from '../../lib/Modal.js';
import { HostTunnelList } from '../tunnels/HostTunnelList.js';
import { EditorActions, Field, FormError, GroupSelect, noSecret, SecretField, secretChange, SettingsFields } from './fields.js';
import { JumpChain } from './JumpChain.js';
import { jumpChain } from './jumpHops.js';
import { defaultsFrom, fromForm, inheritedSettings, patchFromForm, toForm, type InheritedSettings, type SettingsForm } from './settingsForm.js';
import { parseTags } from './tags.js';
import { TerminalFields } from './TerminalFields.js';
import { fromTerminalForm, inheritedTerminal, terminalChange, toTerminalForm } from './terminalForm.js';
import { useSubmit } from './useSubmit.js';
import { useSettings } from '../settings/SettingsProvider.js';

interface HostEditorProps {
  /** null: a new host */
  host: HostRecord | null;
  /** a new host's first values ("save this quick connect") */
  draft?: { hostname: string; user?: string; port?: number };
  groups: Group[];
  /** every saved host, to resolve jump hops named like one */
  hosts: HostRecord[];
  /** the host's tunnels, listed read-only */
  tunnels: Tunnel[];
  onOpenTunnels(): void;
  /** the host was saved: its id */
  onSaved?(id: string): void;
  onClose(): void;
}

/** The defaults the main process applies to an existing host (its real user name, for one). */
function useServerDefaults(hostId: string | undefined): SettingsForm | undefined {
  const client = useClient();
  const { reportError } = useFeedback();
  const [defaults, setDefaults] = useState<SettingsForm>();
  useEffect(() => {
    if (hostId === undefined) return;
    let live = true;
    client.call('hosts.resolve', { id: hostId }).then((resolved) => {
      if (live) setDefaults(defaultsFrom(resolved));
    }, reportError);
    return () => {
      live = false;
    };
  }, [client, reportError, hostId]);
  return defaults;
}

/** The chain the host's jump list (its own, or the one it inherits) makes, under the jump field. */
function JumpPreview({
  jump,
  inherited,
  tree,
  target,
}: {
  jump: string;
  inherited: InheritedSettings;
  tree: Pick<HostEditorProps, 'hosts' | 'groups'>;
  target: string;
}) {
  const own = jump.trim();
  const effective = own || inherited.jump.value;
  if (effective === '' || effective === 'none') return null;
  const hops = jumpChain(effective, tree);
  if (!hops) return <div className="inline-error">Not a jump list: write hops as a saved host&rsquo;s name or user@host:port, separated by commas.</div>;
  return (
    <div className="jump-preview">
      <JumpChain hops={hops} target={target} />
      {own === '' && <span className="muted">inherited from {inherited.jump.from}</span>}
    </div>
  );
}

export function HostEditor({ host, draft, groups, hosts, tunnels, onOpenTunnels, onSaved, onClose }: HostEditorProps) {
  const client = useClient();
  const [initial] = useState(() => toForm(host ?? {}));
  const [name, setName] = useState(host?.name ?? draft?.hostname ?? '');
  const [hostname, setHostname] = useState(host?.hostname ?? draft?.hostname ?? '');
  const [tags, setTags] = useState((host?.tags ?? []).join(', '));
  const [notes, setNotes] = useState(host?.notes ?? '');
  const [groupId, setGroupId] = useState(host?.groupId ?? null);
  const [settings, setSettings] = useState(() => (draft ? toForm({ user: draft.user, port: draft.port }) : initial));
  const [password, setPassword] = useState(noSecret);
  const [passphrase, setPassphrase] = useState(noSecret);
  const inherited = inheritedSettings(groupId, groups, useServerDefaults(host?.id));
  const [initialTerminal] = useState(() => toTerminalForm(host?.terminal));
  const [terminal, setTerminal] = useState(initialTerminal);
  const app = useSettings().terminal;

  const create = async () => {
    const input: CallInput<'hosts.create'> = { name, hostname, groupId, ...fromForm(settings) };
    const tagList = parseTags(tags);
    if (tagList.length > 0) input.tags = tagList;
    if (notes.trim() !== '') input.notes = notes;
    if (password.value) input.password = password.value;
    if (passphrase.value) input.passphrase = passphrase.value;
    const override = fromTerminalForm(terminal);
    if (override) input.terminal = override;
    onSaved?.((await client.call('hosts.create', input)).id);
  };
  const update = async (host: HostRecord) => {
    const patch: CallInput<'hosts.update'>['patch'] = patchFromForm(initial, settings);
    if (name !== host.name) patch.name = name;
    if (hostname !== host.hostname) patch.hostname = hostname;
    if (groupId !== host.groupId) patch.groupId = groupId;
    const tagList = parseTags(tags);
    if (tagList.join(',') !== (host.tags ?? []).join(',')) patch.tags = tagList.length > 0 ? tagList : null;
    if (notes !== (host.notes ?? '')) patch.notes = notes.trim() !== '' ? notes : null;
    const newPassword = secretChange(password);
    if (newPassword !== undefined) patch.password = newPassword;
    const newPassphrase = secretChange(passphrase);
    if (newPassphrase !== undefined) patch.passphrase = newPassphrase;
    const override = terminalChange(initialTerminal, terminal);
    if (override !== undefined) patch.terminal = override;
    if (Object.keys(patch).length > 0) await client.call('hosts.update', { id: host.id, patch });
    onSaved?.(host.id);
  };
  const { submit, busy, error } = useSubmit(() => (host ? update(host) : create()), onClose);

  return (
    <Modal
      testId="host-editor"
      title={host ? `Edit ${host.name}` : 'New host'}
      onSubmit={submit}
      onCancel={onClose}
      actions={<EditorActions busy={busy} onCancel={onClose} />}
      wide
    >
      {host?.linked && (
        <p className="form-note" data-testid="host-linked">
          Linked to <code>{host.linked.file}</code> (Host <code>{host.linked.alias}</code>): each connection reads its address, user, port, key, route and
          keepalive from that file, so what you change here for those is not used; its RemoteCommand and RequestTTY, if it sets them, win over the Remote
          command here. Import the file again without keeping the hosts linked to make them copies.
        </p>
      )}
      <div className="form-grid">
        <Field label="Name">
          <input name="name" value={name} autoFocus autoComplete="off" onChange={(e) => setName(e.target.value)} />
        </Field>
        <GroupSelect name="groupId" label="Group" groups={groups} value={groupId} onChange={setGroupId} />
        <Field label="Host name or address" wide>
          <input
            name="hostname"
            value={hostname}
            placeholder="server.example.com"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setHostname(e.target.value)}
          />
        </Field>
        <Field label="Tags" wide>
          <input name="tags" value={tags} placeholder="prod, db, eu-west" autoComplete="off" spellCheck={false} onChange={(e) => setTags(e.target.value)} />
        </Field>
        <SettingsFields
          form={settings}
          inherited={inherited}
          onChange={(k, v) => setSettings((s) => ({ ...s, [k]: v }))}
          jumpPreview={<JumpPreview jump={settings.jump} inherited={inherited} tree={{ hosts, groups }} target={name.trim() || 'this host'} />}
        />
        <SecretField name="password" label="Password" saved={host?.hasPassword ?? false} state={password} onChange={setPassword} />
        <SecretField name="passphrase" label="Key passphrase" saved={host?.hasPassphrase ?? false} state={passphrase} onChange={setPassphrase} />
        <Field label="Notes" wide>
          <textarea
            name="notes"
            value={notes}
            rows={3}
            maxLength={10_000}
            placeholder="Who owns it, what runs there…"
            onChange={(e) => setNotes(e.target.value)}
          />
        </Field>
        <TerminalFields
          form={terminal}
          inherited={inheritedTerminal(app, groupId, groups)}
          onChange={(k, v) => setTerminal((t) => ({ ...t, [k]: v }))}
          whose="this host’s"
        />
      </div>
      <p className="form-note">Empty fields inherit from the group. Passwords are kept in the keychain, never in the settings file.</p>
      <HostTunnelList tunnels={tunnels} onOpenDashboard={onOpenTunnels} />
      <FormError error={error} />
    </Modal>
  );
}
