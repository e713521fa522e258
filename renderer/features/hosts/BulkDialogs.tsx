import { useState } from 'react';
import type { Group, HostRecord, Tree } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { Modal } from '../../lib/Modal.js';
import { EditorActions, Field, FormError, GroupSelect } from './fields.js';
import { parseTags, tagColor } from './tags.js';
import type { TreeItem } from './TreeRows.js';
import { useSubmit } from './useSubmit.js';

const describe = (items: TreeItem[]) =>
  items.length === 1 ? (items[0]!.kind === 'host' ? items[0]!.host.name : `group ${items[0]!.group.name}`) : `${items.length} items`;

/** "Move to group…": a selection of hosts and groups into one group, in one write. */
export function MoveDialog({ items, groups, onClose }: { items: TreeItem[]; groups: Group[]; onClose(): void }) {
  const client = useClient();
  const [parentId, setParentId] = useState<string | null>(null);
  const hostIds = items.flatMap((i) => (i.kind === 'host' ? [i.host.id] : []));
  const groupIds = items.flatMap((i) => (i.kind === 'group' ? [i.group.id] : []));
  const { submit, busy, error } = useSubmit(() => client.call('items.move', { hostIds, groupIds, parentId }).then(() => undefined), onClose);
  return (
    <Modal
      testId="move-dialog"
      title={`Move ${describe(items)}`}
      onSubmit={submit}
      onCancel={onClose}
      actions={<EditorActions busy={busy} onCancel={onClose} />}
    >
      <div className="form-grid">
        <GroupSelect
          name="parentId"
          label="Into group"
          groups={groups}
          value={parentId}
          exclude={groupIds.length === 1 ? groupIds[0] : undefined}
          onChange={setParentId}
        />
      </div>
      <FormError error={error} />
    </Modal>
  );
}

/** "Tags…": tags added to and removed from a selection of hosts, in one write; a tag's colour can be chosen. */
export function TagDialog({ hosts, tree, onClose }: { hosts: HostRecord[]; tree: Pick<Tree, 'hosts' | 'tagColors'>; onClose(): void }) {
  const client = useClient();
  const common = hosts.reduce<string[]>(
    (acc, h, i) => (i === 0 ? [...(h.tags ?? [])] : acc.filter((t) => h.tags?.some((x) => x.toLowerCase() === t.toLowerCase()))),
    [],
  );
  const [text, setText] = useState(common.join(', '));
  const known = [...new Set(tree.hosts.flatMap((h) => h.tags ?? []).map((t) => t.toLowerCase()))].sort();
  const [colors, setColors] = useState<Record<string, string>>({});
  const save = async () => {
    const next = parseTags(text);
    const add = next.filter((t) => !common.some((c) => c.toLowerCase() === t.toLowerCase()));
    const remove = common.filter((c) => !next.some((t) => t.toLowerCase() === c.toLowerCase()));
    if (add.length + remove.length > 0) await client.call('hosts.tag', { ids: hosts.map((h) => h.id), add, remove });
    for (const [tag, color] of Object.entries(colors)) await client.call('tags.color', { tag, color });
  };
  const { submit, busy, error } = useSubmit(save, onClose);
  const shown = parseTags(text);
  return (
    <Modal
      testId="tag-dialog"
      title={hosts.length === 1 ? `Tags of ${hosts[0]!.name}` : `Tags of ${hosts.length} hosts`}
      onSubmit={submit}
      onCancel={onClose}
      actions={<EditorActions busy={busy} onCancel={onClose} />}
    >
      <div className="form-grid">
        <Field label={hosts.length === 1 ? 'Tags' : 'Tags all of them have'} wide>
          <input
            name="tags"
            value={text}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            placeholder="prod, db"
            list="known-tags"
            onChange={(e) => setText(e.target.value)}
          />
        </Field>
        <datalist id="known-tags">
          {known.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        {shown.length > 0 && (
          <div className="tag-colors field-wide">
            {shown.map((tag) => (
              <label key={tag.toLowerCase()} className="tag-color">
                <input
                  type="color"
                  data-testid="tag-color"
                  aria-label={`Colour of ${tag}`}
                  value={colors[tag.toLowerCase()] ?? tagColor(tag, tree.tagColors)}
                  onChange={(e) => setColors((c) => ({ ...c, [tag.toLowerCase()]: e.target.value }))}
                />
                <span className="row-tag" style={{ '--tag': colors[tag.toLowerCase()] ?? tagColor(tag, tree.tagColors) } as React.CSSProperties}>
                  {tag}
                </span>
              </label>
            ))}
          </div>
        )}
      </div>
      <p className="form-note">Separate tags with commas or spaces. Filter by a tag with #tag.</p>
      <FormError error={error} />
    </Modal>
  );
}
