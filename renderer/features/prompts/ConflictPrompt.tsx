import { useState } from 'react';
import type { ConflictChoice } from '../../../shared/sftp.js';
import { formatDate } from '../sftp/entries.js';
import { formatBytes } from '../tunnels/format.js';
import { PromptFrame } from './PromptFrame.js';
import { cancel, type PromptProps } from './types.js';

const CHOICES: { value: ConflictChoice; label: string; help: string }[] = [
  { value: 'overwrite', label: 'Overwrite', help: 'replace it with the incoming file' },
  { value: 'newer', label: 'Overwrite if newer', help: 'replace it only when the incoming file is newer' },
  { value: 'rename', label: 'Keep both', help: 'the incoming file gets a free name, such as “name (1).ext”' },
  { value: 'skip', label: 'Skip', help: 'leave it as it is, and do not copy this file' },
];

/** A transfer's destination exists (conflict policy "ask"): what to do, for this file or for all the rest of the transfer. */
export function ConflictPrompt({ prompt, deadline, answer }: PromptProps<'conflict'>) {
  const [choice, setChoice] = useState<ConflictChoice>('rename');
  const [applyToAll, setApplyToAll] = useState(false);
  const { existing, incoming } = prompt;
  const newer = incoming.mtime > existing.mtime ? 'incoming' : incoming.mtime < existing.mtime ? 'existing' : null;
  return (
    <PromptFrame
      kind="conflict"
      title="The file already exists"
      deadline={deadline}
      acceptLabel="Continue"
      rejectLabel="Cancel this file"
      onAccept={() => answer({ conflict: choice, applyToAll })}
      onReject={() => answer(cancel)}
    >
      <p>
        <code>{prompt.path}</code> is already there {prompt.direction === 'upload' ? 'on the host' : 'on this computer'}.
      </p>
      <table className="conflict-table">
        <tbody>
          <tr>
            <th scope="row">There now</th>
            <td>{formatBytes(existing.size)}</td>
            <td>
              {formatDate(existing.mtime)} {newer === 'existing' && <span className="newer">newer</span>}
            </td>
          </tr>
          <tr>
            <th scope="row">Incoming</th>
            <td>{formatBytes(incoming.size)}</td>
            <td>
              {formatDate(incoming.mtime)} {newer === 'incoming' && <span className="newer">newer</span>}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="muted">
        from <code>{prompt.source}</code>
      </p>
      <fieldset className="conflict-choices">
        {CHOICES.map((c) => (
          <label key={c.value} className="checkbox">
            <input
              type="radio"
              name="conflict"
              value={c.value}
              data-testid={`conflict-${c.value}`}
              checked={choice === c.value}
              onChange={() => setChoice(c.value)}
            />
            <span>
              <strong>{c.label}</strong>: {c.help}
            </span>
          </label>
        ))}
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" data-testid="conflict-apply-all" checked={applyToAll} onChange={(e) => setApplyToAll(e.target.checked)} />
        Do the same for every other file of this transfer that exists
      </label>
    </PromptFrame>
  );
}
