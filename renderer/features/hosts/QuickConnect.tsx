import { Save, Zap } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { parseQuickTarget, type Target } from '../../../shared/model.js';

interface QuickConnectProps {
  onConnect(target: Target, title: string): void;
  /** "save as a host": the host editor, filled in with what was typed */
  onSave(draft: { hostname: string; user?: string; port?: number }): void;
}

/** `user@host:port` + Enter opens a terminal without saving a host; the save button makes it one. */
export function QuickConnect({ onConnect, onSave }: QuickConnectProps) {
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const quick = parseQuickTarget(text);
    if (!quick) {
      setInvalid(true);
      return;
    }
    onConnect({ quick }, quick.user ? `${quick.user}@${quick.hostname}` : quick.hostname);
    setLast(quick);
    setText('');
  };
  const [last, setLast] = useState<{ hostname: string; user?: string; port?: number } | null>(null);
  const save = () => {
    const draft = text.trim() ? parseQuickTarget(text) : last;
    if (!draft) return setInvalid(true);
    onSave(draft);
    setText('');
    setLast(null);
  };

  return (
    <form className="quick-connect" onSubmit={submit}>
      <div className="input-with-icon">
        <Zap size={14} />
        <input
          data-testid="quick-connect"
          value={text}
          placeholder="Quick connect: user@host:port"
          aria-label="Quick connect"
          aria-invalid={invalid}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setText(e.target.value);
            setInvalid(false);
          }}
        />
        {(text.trim() !== '' || last) && (
          <button
            type="button"
            className="icon-button"
            data-testid="quick-save"
            title={text.trim() ? 'Save as a host' : `Save ${last?.user ? `${last.user}@` : ''}${last?.hostname} as a host`}
            aria-label="Save as a host"
            onClick={save}
          >
            <Save size={14} />
          </button>
        )}
      </div>
      {invalid && (
        <div className="inline-error" role="alert">
          Not a target: type host, user@host, host:port or user@host:port.
        </div>
      )}
    </form>
  );
}
