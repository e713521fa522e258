import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';

interface ModalProps {
  testId: string;
  title: ReactNode;
  /** Enter in a field submits, like the primary button */
  onSubmit(): void;
  /** Escape, and whatever the caller wires to its Cancel button */
  onCancel(): void;
  /** the footer buttons; the primary one is `type="submit"` */
  actions: ReactNode;
  children: ReactNode;
  /** extra attributes for tests and styles, e.g. `{ 'data-kind': 'hostkey' }` */
  data?: Record<`data-${string}`, string>;
  wide?: boolean;
}

/** A modal dialog that is a form. Focus returns where it was when the dialog closes. */
export function Modal({ testId, title, onSubmit, onCancel, actions, children, data, wide }: ModalProps) {
  const titleId = useId();
  // read during the first render, before autoFocus moves focus into the dialog
  const [opener] = useState(() => document.activeElement);
  useEffect(
    () => () => {
      if (opener instanceof HTMLElement) opener.focus();
    },
    [opener],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <div className="modal-backdrop">
      <form
        className={wide ? 'modal modal-wide' : 'modal'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        {...data}
        noValidate
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.stopPropagation();
          onCancel();
        }}
      >
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        <div className="modal-body">{children}</div>
        <div className="modal-actions">{actions}</div>
      </form>
    </div>
  );
}
