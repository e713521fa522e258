import { useState } from 'react';
import type { Group } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { Modal } from '../../lib/Modal.js';
import { EditorActions, Field, FormError, GroupSelect, SettingsFields } from './fields.js';
import { fromForm, inheritedSettings, toForm } from './settingsForm.js';
import { TerminalFields } from './TerminalFields.js';
import { fromTerminalForm, inheritedTerminal, toTerminalForm } from './terminalForm.js';
import { useSubmit } from './useSubmit.js';
import { useSettings } from '../settings/SettingsProvider.js';

interface GroupEditorProps {
  /** null: a new group */
  group: Group | null;
  groups: Group[];
  /** the group was saved: its id */
  onSaved?(id: string): void;
  onClose(): void;
}

export function GroupEditor({ group, groups, onSaved, onClose }: GroupEditorProps) {
  const client = useClient();
  const [name, setName] = useState(group?.name ?? '');
  const [parentId, setParentId] = useState(group?.parentId ?? null);
  const [defaults, setDefaults] = useState(() => toForm(group?.defaults ?? {}));
  const [terminal, setTerminal] = useState(() => toTerminalForm(group?.terminal));
  const app = useSettings().terminal;

  const save = async () => {
    const override = fromTerminalForm(terminal);
    if (!group) {
      onSaved?.((await client.call('groups.create', { name, parentId, defaults: fromForm(defaults), ...(override && { terminal: override }) })).id);
      return;
    }
    await client.call('groups.update', { id: group.id, name, parentId, defaults: fromForm(defaults), terminal: override ?? null });
    onSaved?.(group.id);
  };
  const { submit, busy, error } = useSubmit(save, onClose);

  return (
    <Modal
      testId="group-editor"
      title={group ? `Edit group ${group.name}` : 'New group'}
      onSubmit={submit}
      onCancel={onClose}
      actions={<EditorActions busy={busy} onCancel={onClose} />}
      wide
    >
      <div className="form-grid">
        <Field label="Name">
          <input name="name" value={name} autoFocus autoComplete="off" onChange={(e) => setName(e.target.value)} />
        </Field>
        <GroupSelect name="parentId" label="Parent group" groups={groups} value={parentId} exclude={group?.id} onChange={setParentId} />
        <h3 className="form-section">Defaults for the hosts in this group</h3>
        <SettingsFields form={defaults} inherited={inheritedSettings(parentId, groups)} onChange={(k, v) => setDefaults((d) => ({ ...d, [k]: v }))} />
        <TerminalFields
          form={terminal}
          inherited={inheritedTerminal(app, parentId, groups)}
          onChange={(k, v) => setTerminal((t) => ({ ...t, [k]: v }))}
          whose="its hosts’"
        />
      </div>
      <p className="form-note">Empty fields are not set here: hosts inherit them from the parent group or the defaults.</p>
      <FormError error={error} />
    </Modal>
  );
}
