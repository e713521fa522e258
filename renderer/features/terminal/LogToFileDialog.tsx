import { useEffect, useState } from 'react';
import { asWarrenError } from '../../lib/errors.js';
import { useClient } from '../../lib/client.js';
import { Modal } from '../../lib/Modal.js';

/** the last choices, offered again next time */
const CHOICE_KEY = 'warren.sessionLog';

interface Choice {
  /** '' is the default folder */
  folder: string;
  timestamps: boolean;
}

function lastChoice(): Choice {
  try {
    const v = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? '{}') as Partial<Choice>;
    return { folder: typeof v.folder === 'string' ? v.folder : '', timestamps: v.timestamps === true };
  } catch {
    return { folder: '', timestamps: false };
  }
}

interface LogToFileDialogProps {
  sessionId: string;
  title: string;
  onStarted(path: string): void;
  onCancel(): void;
}

/**
 * "Log to a file…": the folder (by default the data dir's session-logs) and whether each line is
 * stamped. The main process names the file and writes it; in browser mode that is the server's machine.
 */
export function LogToFileDialog({ sessionId, title, onStarted, onCancel }: LogToFileDialogProps) {
  const client = useClient();
  const [choice, setChoice] = useState(lastChoice);
  const [defaultFolder, setDefaultFolder] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    client
      .call('terminal.log.folder', {})
      .then((r) => setDefaultFolder(r.path))
      .catch(() => {});
  }, [client]);
  const desktop = window.warrenDesktop?.desktop === true;

  const start = () => {
    const folder = choice.folder.trim();
    setBusy(true);
    client
      .call('terminal.log.start', { sessionId, timestamps: choice.timestamps, ...(folder ? { folder } : {}) })
      .then((r) => {
        localStorage.setItem(CHOICE_KEY, JSON.stringify({ ...choice, folder }));
        onStarted(r.path);
      })
      .catch((e: unknown) => {
        setError(asWarrenError(e).message);
        setBusy(false);
      });
  };

  return (
    <Modal
      testId="log-dialog"
      title={`Log ${title} to a file`}
      onSubmit={start}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" data-testid="cancel" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" data-testid="log-start" disabled={busy}>
            Start logging
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">Folder</span>
        <input
          name="folder"
          value={choice.folder}
          placeholder={defaultFolder || 'the default folder'}
          spellCheck={false}
          autoComplete="off"
          autoFocus
          onChange={(e) => setChoice({ ...choice, folder: e.target.value })}
        />
      </label>
      <label className="checkbox">
        <input type="checkbox" name="timestamps" checked={choice.timestamps} onChange={(e) => setChoice({ ...choice, timestamps: e.target.checked })} />
        Start each line with the time (UTC)
      </label>
      {error && (
        <p className="inline-error" data-testid="log-error">
          {error}
        </p>
      )}
      <p className="form-note">
        What the session shows, as plain text (colours and other escape sequences removed), in a new file named after the host and the time that only you can
        read. Empty: <code>{defaultFolder || 'session-logs in the data folder'}</code>.
      </p>
      {!desktop && (
        <p className="form-note" data-testid="log-server-note">
          Browser mode: the file is written on the machine running Warren&apos;s server, not downloaded to this browser.
        </p>
      )}
    </Modal>
  );
}
