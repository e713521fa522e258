import { Zap } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { parseQuickTarget, type Target } from '../../../shared/model.js';

/** `user@host:port` + Enter opens a terminal without saving a host. */
export function QuickConnect({ onConnect }: { onConnect(target: Target, title: string): void }) {
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
    setText('');
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
      </div>
      {invalid && (
        <div className="inline-error" role="alert">
          Not a target: type host, user@host, host:port or user@host:port.
        </div>
      )}
    </form>
  );
}
