import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { fill, placeholders, type Snippet } from '../../../shared/snippets.js';
import { useFeedback } from '../../lib/feedback.js';
import { Modal } from '../../lib/Modal.js';
import { activeTerminal, type ActiveTerminal } from './activeTerminal.js';

interface Runner {
  /** runs the snippet in the active terminal, asking for its placeholders first */
  run(snippet: Snippet): void;
}

const RunnerContext = createContext<Runner | null>(null);

export function useSnippetRunner(): Runner {
  const r = useContext(RunnerContext);
  if (!r) throw new Error('useSnippetRunner() needs a <SnippetRunner> above it');
  return r;
}

/** A command as the keyboard types it: each line ended by Enter (a terminal sends CR). */
const typed = (command: string) => `${command.replace(/\r?\n/g, '\r').replace(/\r$/, '')}\r`;

/** Holds the placeholder dialog; a snippet without placeholders runs at once. */
export function SnippetRunner({ children }: { children: ReactNode }) {
  const { reportError } = useFeedback();
  const [asking, setAsking] = useState<{ snippet: Snippet; terminal: ActiveTerminal } | null>(null);
  const runner = useMemo<Runner>(
    () => ({
      run: (snippet) => {
        const terminal = activeTerminal();
        if (!terminal) return reportError(new Error('Open a terminal first: a snippet runs in the terminal you are looking at.'));
        if (placeholders(snippet.command).length === 0) terminal.type(typed(snippet.command));
        else setAsking({ snippet, terminal });
      },
    }),
    [reportError],
  );
  return (
    <RunnerContext value={runner}>
      {children}
      {asking && (
        <PlaceholderDialog
          snippet={asking.snippet}
          terminal={asking.terminal.title}
          onCancel={() => setAsking(null)}
          onRun={(command) => {
            asking.terminal.type(typed(command));
            setAsking(null);
          }}
        />
      )}
    </RunnerContext>
  );
}

function PlaceholderDialog({ snippet, terminal, onRun, onCancel }: { snippet: Snippet; terminal: string; onRun(command: string): void; onCancel(): void }) {
  const fields = placeholders(snippet.command);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, f.fallback])));
  const command = fill(snippet.command, values);
  return (
    <Modal
      testId="snippet-run"
      title={`Run ${snippet.name} in ${terminal}`}
      onSubmit={() => onRun(command)}
      onCancel={onCancel}
      wide
      actions={
        <>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" data-testid="snippet-run-go">
            Run
          </button>
        </>
      }
    >
      <div className="form-grid">
        {fields.map((f, i) => (
          <div className="field" key={f.name}>
            <label>
              <span className="field-label">{f.name}</span>
              <input
                name={f.name}
                autoFocus={i === 0}
                autoComplete="off"
                spellCheck={false}
                value={values[f.name] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              />
            </label>
          </div>
        ))}
        <div className="field field-wide">
          <span className="field-label">Will run</span>
          <pre className="snippet-preview" data-testid="snippet-preview">
            {command}
          </pre>
        </div>
      </div>
    </Modal>
  );
}
