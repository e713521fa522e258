import { useState, type FocusEvent } from 'react';
import { Modal } from '../../lib/Modal.js';
import { nameProblem } from './paths.js';

interface NameDialogProps {
  testId: string;
  title: string;
  okLabel: string;
  /** the name to start from (a rename), or '' */
  initial: string;
  /** the folder the name is in */
  dir: string;
  onSubmit(name: string): void;
  onCancel(): void;
}

/** Selects the name without its extension, as file managers do for a rename. */
const selectStem = (e: FocusEvent<HTMLInputElement>) => {
  const dot = e.currentTarget.value.lastIndexOf('.');
  e.currentTarget.setSelectionRange(0, dot > 0 ? dot : e.currentTarget.value.length);
};

/** A name for a new folder, or a new name for an entry. */
export function NameDialog({ testId, title, okLabel, initial, dir, onSubmit, onCancel }: NameDialogProps) {
  const [name, setName] = useState(initial);
  const [tried, setTried] = useState(false);
  const problem = nameProblem(name, dir);
  return (
    <Modal
      testId={testId}
      title={title}
      onSubmit={() => (problem ? setTried(true) : onSubmit(name))}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" data-testid="cancel" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" data-testid="save">
            {okLabel}
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">Name</span>
        <input
          name="name"
          value={name}
          autoFocus
          spellCheck={false}
          autoComplete="off"
          aria-invalid={tried && problem !== null}
          onFocus={selectStem}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      {tried && problem && <p className="inline-error">{problem}</p>}
      <p className="form-note">
        In <code>{dir}</code>
      </p>
    </Modal>
  );
}
