import { useState } from 'react';
import type { Entry } from '../../../shared/sftp.js';
import { Modal } from '../../lib/Modal.js';
import { modeString } from './entries.js';

const WHO = [
  { id: 'u', label: 'Owner', shift: 6 },
  { id: 'g', label: 'Group', shift: 3 },
  { id: 'o', label: 'Others', shift: 0 },
] as const;
const WHAT = [
  { id: 'r', label: 'Read', bit: 4 },
  { id: 'w', label: 'Write', bit: 2 },
  { id: 'x', label: 'Execute', bit: 1 },
] as const;

const octalOf = (mode: number) => mode.toString(8).padStart(mode > 0o777 ? 4 : 3, '0');

interface ChmodDialogProps {
  entry: Entry;
  path: string;
  onSubmit(mode: number): void;
  onCancel(): void;
}

/** The permissions editor: read/write/execute for owner, group and others, or the octal number (setuid, setgid, sticky too). */
export function ChmodDialog({ entry, path, onSubmit, onCancel }: ChmodDialogProps) {
  const [mode, setMode] = useState(entry.mode & 0o7777);
  const [octal, setOctal] = useState(octalOf(entry.mode & 0o7777));
  const valid = /^[0-7]{3,4}$/.test(octal);
  const toggle = (mask: number) => {
    const next = mode ^ mask;
    setMode(next);
    setOctal(octalOf(next));
  };
  return (
    <Modal
      testId="chmod-dialog"
      title="Permissions"
      onSubmit={() => valid && onSubmit(mode)}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" data-testid="cancel" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" data-testid="save" disabled={!valid}>
            Apply
          </button>
        </>
      }
    >
      <p>
        <code>{path}</code>
      </p>
      <table className="perm-grid">
        <thead>
          <tr>
            <th />
            {WHAT.map((w) => (
              <th key={w.id}>{w.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {WHO.map((who) => (
            <tr key={who.id}>
              <th scope="row">{who.label}</th>
              {WHAT.map((w) => {
                const mask = w.bit << who.shift;
                return (
                  <td key={w.id}>
                    <input
                      type="checkbox"
                      data-testid={`perm-${who.id}-${w.id}`}
                      aria-label={`${who.label}: ${w.label}`}
                      checked={(mode & mask) !== 0}
                      onChange={() => toggle(mask)}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="perm-octal">
        <label className="field">
          <span className="field-label">Octal</span>
          <input
            name="octal"
            data-testid="chmod-octal"
            value={octal}
            maxLength={4}
            inputMode="numeric"
            spellCheck={false}
            aria-invalid={!valid}
            onChange={(e) => {
              setOctal(e.target.value);
              if (/^[0-7]{3,4}$/.test(e.target.value)) setMode(parseInt(e.target.value, 8));
            }}
          />
        </label>
        <code className="perm-preview" data-testid="chmod-preview">
          {modeString(entry.kind, mode)}
        </code>
      </div>
      {!valid && <p className="inline-error">Three or four octal digits, such as 644 or 0755.</p>}
    </Modal>
  );
}
