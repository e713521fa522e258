import { Pencil, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { Tree } from '../../../shared/model.js';
import { SnippetInput, type Snippet, type SnippetScope } from '../../../shared/snippets.js';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';
import { Modal } from '../../lib/Modal.js';
import { EditorActions } from '../hosts/fields.js';
import { useTree } from '../hosts/TreeProvider.js';
import { useSettings } from '../settings/SettingsProvider.js';
import './snippets.css';

/** "Everywhere", "Group prod", "Host db-1" */
export function scopeLabel(scope: SnippetScope, tree: Tree | undefined): string {
  if (scope.kind === 'global') return 'Everywhere';
  if (scope.kind === 'group') return `Group ${tree?.groups.find((g) => g.id === scope.groupId)?.name ?? '?'}`;
  return `Host ${tree?.hosts.find((h) => h.id === scope.hostId)?.name ?? '?'}`;
}

/** The Settings view's snippets: saved commands, run from the palette (Ctrl+Shift+P) in the terminal shown. */
export function SnippetsSettings() {
  const { snippets } = useSettings();
  const tree = useTree();
  const client = useClient();
  const { reportError } = useFeedback();
  const [editing, setEditing] = useState<Snippet | 'new' | null>(null);
  return (
    <div className="form-grid snippets" data-testid="snippets-anchor">
      <div className="form-section snippets-head">
        Snippets
        <button type="button" data-testid="snippet-new" onClick={() => setEditing('new')}>
          <Plus size={14} /> New snippet
        </button>
      </div>
      <p className="field-help field-wide">
        Run one from the command palette (Ctrl+Shift+P) in the terminal you are looking at. <code>{'{{name}}'}</code> or <code>{'{{name:default}}'}</code> in a
        command is asked for first.
      </p>
      {snippets.length === 0 && <p className="field-help field-wide">No snippets yet.</p>}
      <ul className="snippet-list field-wide">
        {snippets.map((s) => (
          <li key={s.id} data-testid="snippet-row" data-name={s.name}>
            <span className="snippet-name">{s.name}</span>
            <span className="snippet-scope">{scopeLabel(s.scope, tree)}</span>
            <code className="snippet-command">{s.command.replace(/\n/g, ' ⏎ ')}</code>
            <button type="button" className="icon-button" aria-label={`Edit ${s.name}`} onClick={() => setEditing(s)}>
              <Pencil size={14} />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Delete ${s.name}`}
              onClick={() => void client.call('snippets.delete', { id: s.id }).catch(reportError)}
            >
              <Trash2 size={14} />
            </button>
          </li>
        ))}
      </ul>
      {editing && <SnippetEditor snippet={editing === 'new' ? null : editing} tree={tree} onClose={() => setEditing(null)} />}
    </div>
  );
}

const encode = (s: SnippetScope) => (s.kind === 'global' ? 'global' : s.kind === 'group' ? `group:${s.groupId}` : `host:${s.hostId}`);
const decode = (v: string): SnippetScope =>
  v.startsWith('group:') ? { kind: 'group', groupId: v.slice(6) } : v.startsWith('host:') ? { kind: 'host', hostId: v.slice(5) } : { kind: 'global' };

function SnippetEditor({ snippet, tree, onClose }: { snippet: Snippet | null; tree: Tree | undefined; onClose(): void }) {
  const client = useClient();
  const { reportError } = useFeedback();
  const [name, setName] = useState(snippet?.name ?? '');
  const [command, setCommand] = useState(snippet?.command ?? '');
  const [scope, setScope] = useState(encode(snippet?.scope ?? { kind: 'global' }));
  const [busy, setBusy] = useState(false);
  const parsed = SnippetInput.safeParse({ name, command, scope: decode(scope) });
  const submit = () => {
    if (!parsed.success) return reportError(new Error(parsed.error.issues[0]?.message ?? 'not a valid snippet'));
    setBusy(true);
    client
      .call('snippets.save', { id: snippet?.id, snippet: parsed.data })
      .then(onClose, reportError)
      .finally(() => setBusy(false));
  };
  return (
    <Modal
      testId="snippet-editor"
      title={snippet ? `Edit snippet ${snippet.name}` : 'New snippet'}
      onSubmit={submit}
      onCancel={onClose}
      actions={<EditorActions busy={busy} onCancel={onClose} />}
      wide
    >
      <div className="form-grid">
        <div className="field">
          <label>
            <span className="field-label">Name</span>
            <input name="name" value={name} autoFocus autoComplete="off" onChange={(e) => setName(e.target.value)} />
          </label>
        </div>
        <div className="field">
          <label>
            <span className="field-label">For</span>
            <select name="scope" value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="global">Every host</option>
              {(tree?.groups ?? []).map((g) => (
                <option key={g.id} value={`group:${g.id}`}>
                  Group {g.name}
                </option>
              ))}
              {(tree?.hosts ?? []).map((h) => (
                <option key={h.id} value={`host:${h.id}`}>
                  Host {h.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="field field-wide">
          <label>
            <span className="field-label">Command</span>
            <textarea
              name="command"
              rows={4}
              spellCheck={false}
              value={command}
              placeholder="journalctl -u {{unit:nginx}} -n 200"
              onChange={(e) => setCommand(e.target.value)}
            />
          </label>
        </div>
      </div>
    </Modal>
  );
}
