import { RotateCcw } from 'lucide-react';
import { Fragment, useEffect, useState, type KeyboardEvent } from 'react';
import { ALL_KEYS, bindingText, current, rebind, recordedChord, setRecording, type Binding, type KeyGroup } from '../../lib/keybindings.js';
import { useSettings } from './SettingsProvider.js';

const GROUPS: KeyGroup[] = ['Tabs', 'Panes', 'Terminal', 'Search', 'App'];

/**
 * Every shortcut, made from the list the key handlers match against (`lib/keybindings.ts`). A click on a
 * command's keys records the next chord pressed (Escape gives up); a chord it may not have is refused with
 * the reason, naming the command that has it. Saved in the settings' `terminal.keys`.
 */
export function KeysTable() {
  const { terminal, setTerminal } = useSettings();
  const keys = terminal.keys;
  const [recordingId, setRecordingId] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ id: string; text: string } | null>(null);
  useEffect(() => {
    setRecording(recordingId !== null);
    return () => setRecording(false);
  }, [recordingId]);

  const onKey = (b: Binding, e: KeyboardEvent) => {
    e.preventDefault();
    e.stopPropagation();
    if (e.key === 'Escape' && !e.ctrlKey && !e.shiftKey && !e.altKey && !e.metaKey) return setRecordingId(null);
    const got = recordedChord(e);
    if (!got) return; // a modifier alone: go on waiting
    setRecordingId(null);
    if ('reason' in got) return setProblem({ id: b.id, text: got.reason });
    try {
      setTerminal({ keys: rebind(keys, b, got.chord) });
      setProblem(null);
    } catch (err) {
      setProblem({ id: b.id, text: (err as Error).message });
    }
  };
  const reset = (id: string) => {
    const { [id]: _gone, ...rest } = keys;
    setTerminal({ keys: rest });
    setProblem(null);
  };

  return (
    <div className="form-grid keys" data-testid="keys-table">
      <div className="form-section">Keyboard shortcuts</div>
      <p className="field-help field-wide">Click a shortcut and press the new keys (Escape gives up).</p>
      <table className="keys-table field-wide">
        <tbody>
          {GROUPS.map((group) => (
            <Fragment key={group}>
              <tr>
                <th colSpan={3} scope="colgroup">
                  {group}
                </th>
              </tr>
              {ALL_KEYS.filter((b) => b.group === group).map((b) => {
                const text = bindingText(current(b));
                const recording = recordingId === b.id;
                return (
                  <Fragment key={b.id}>
                    <tr data-testid="keys-row" data-id={b.id} data-keys={text} data-rebound={b.id in keys}>
                      <td>
                        {b.label}
                        {b.note && <span className="field-help"> ({b.note})</span>}
                      </td>
                      <td>
                        {b.fixed ? (
                          <kbd title={`Not rebindable: ${b.fixed}`}>{text}</kbd>
                        ) : (
                          <button
                            type="button"
                            className="keys-chord"
                            data-testid="keys-chord"
                            aria-pressed={recording}
                            title="Click, then press the new keys"
                            onClick={() => {
                              setProblem(null);
                              setRecordingId(recording ? null : b.id);
                            }}
                            onKeyDown={recording ? (e) => onKey(b, e) : undefined}
                            onBlur={() => {
                              if (recording) setRecordingId(null);
                            }}
                          >
                            <kbd>{recording ? 'Press the new keys…' : text}</kbd>
                          </button>
                        )}
                      </td>
                      <td>
                        {b.id in keys && (
                          <button type="button" className="keys-reset" data-testid="keys-reset" title={`Back to ${bindingText(b)}`} onClick={() => reset(b.id)}>
                            Reset
                          </button>
                        )}
                      </td>
                    </tr>
                    {problem?.id === b.id && (
                      <tr>
                        <td colSpan={3} className="keys-problem" role="alert" data-testid="keys-problem">
                          {problem.text}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </Fragment>
          ))}
        </tbody>
      </table>
      <div className="field-wide">
        <button type="button" data-testid="keys-reset-all" disabled={Object.keys(keys).length === 0} onClick={() => setTerminal({ keys: {} })}>
          <RotateCcw size={14} /> Reset all shortcuts
        </button>
      </div>
    </div>
  );
}
