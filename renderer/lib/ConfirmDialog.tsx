import type { ReactNode } from 'react';
import { Modal } from './Modal.js';

interface ConfirmProps {
  message: string;
  okLabel: string;
  onConfirm(): void;
  onCancel(): void;
  /** the question's heading; "Are you sure?" unless given */
  title?: string;
  /** under the message: a "don't ask again" box, say */
  children?: ReactNode;
}

/** A yes/no question before something that cannot be undone. */
export function ConfirmDialog({ message, okLabel, onConfirm, onCancel, title = 'Are you sure?', children }: ConfirmProps) {
  return (
    <Modal
      testId="confirm"
      title={title}
      onSubmit={onConfirm}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" data-testid="cancel" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="danger" data-testid="confirm-ok" autoFocus>
            {okLabel}
          </button>
        </>
      }
    >
      <p>{message}</p>
      {children}
    </Modal>
  );
}
