import type { Entry } from '../../../shared/sftp.js';
import { visible } from '../../../shared/untrusted.js';
import { ConfirmDialog } from '../../lib/ConfirmDialog.js';
import { useFeedback } from '../../lib/feedback.js';
import { ChmodDialog } from './ChmodDialog.js';
import { NameDialog } from './NameDialog.js';
import { joinPath } from './paths.js';
import type { PaneModel } from './usePane.js';

export type PaneDialog = { kind: 'mkdir' } | { kind: 'rename'; entry: Entry } | { kind: 'chmod'; entry: Entry } | { kind: 'delete'; entries: Entry[] };

function deleteQuestion(entries: Entry[]): string {
  const [only] = entries;
  if (entries.length > 1 || !only) {
    const names = entries
      .slice(0, 3)
      .map((e) => visible(e.name))
      .join(', ');
    return `Delete ${entries.length} items (${names}${entries.length > 3 ? ', …' : ''}) and everything in the folders among them?`;
  }
  const name = visible(only.name);
  if (only.kind === 'dir') return `Delete the folder ${name} and everything in it?`;
  if (only.kind === 'symlink') return `Delete the link ${name}? What it points to stays.`;
  return `Delete ${name}?`;
}

interface PaneDialogsProps {
  dialog: PaneDialog;
  pane: PaneModel;
  dir: string;
  onClose(): void;
  /** after a change: the name to select once the folder is listed again */
  onChanged(select: string | null): void;
}

/** The pane's dialogs: each runs its operation, then the folder is listed again (a failure is a toast naming the file). */
export function PaneDialogs({ dialog, pane, dir, onClose, onChanged }: PaneDialogsProps) {
  const { reportError } = useFeedback();
  const { side } = pane;
  const run = (ops: Promise<unknown>[], select: string | null = null) => {
    onClose();
    void Promise.allSettled(ops).then((results) => {
      results.forEach((r) => r.status === 'rejected' && reportError(r.reason));
      onChanged(results.every((r) => r.status === 'fulfilled') ? select : null);
    });
  };
  switch (dialog.kind) {
    case 'mkdir':
      return (
        <NameDialog
          testId="mkdir-dialog"
          title="New folder"
          okLabel="Create"
          initial=""
          dir={dir}
          onCancel={onClose}
          onSubmit={(name) => run([side.mkdir(joinPath(dir, name))], name)}
        />
      );
    case 'rename': {
      const { name } = dialog.entry;
      return (
        <NameDialog
          testId="rename-dialog"
          title={`Rename ${visible(name)}`}
          okLabel="Rename"
          initial={name}
          dir={dir}
          onCancel={onClose}
          onSubmit={(to) => (to === name ? onClose() : run([side.rename(joinPath(dir, name), joinPath(dir, to))], to))}
        />
      );
    }
    case 'chmod': {
      const path = joinPath(dir, dialog.entry.name);
      return <ChmodDialog entry={dialog.entry} path={path} onCancel={onClose} onSubmit={(mode) => run([side.chmod(path, mode)], dialog.entry.name)} />;
    }
    case 'delete':
      return (
        <ConfirmDialog
          message={deleteQuestion(dialog.entries)}
          okLabel="Delete"
          onCancel={onClose}
          onConfirm={() => run(dialog.entries.map((e) => side.remove(joinPath(dir, e.name), e.kind === 'dir')))}
        />
      );
  }
}
