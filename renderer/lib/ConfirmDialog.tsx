import { Modal } from './Modal.js';

interface ConfirmProps {
  message: string;
  okLabel: string;
  onConfirm(): void;
  onCancel(): void;
}

/** A yes/no question before something that cannot be undone. */
export function ConfirmDialog({ message, okLabel, onConfirm, onCancel }: ConfirmProps) {
  return (
    <Modal
      testId="confirm"
      title="Are you sure?"
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
    </Modal>
  );
}
