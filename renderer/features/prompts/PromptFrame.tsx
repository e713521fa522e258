import { useEffect, useState, type ReactNode } from 'react';
import { Modal } from '../../lib/Modal.js';

/** Seconds left until `deadline`, ticking. */
function useSecondsLeft(deadline: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

interface PromptFrameProps {
  kind: string;
  title: string;
  deadline: number;
  acceptLabel: string;
  rejectLabel: string;
  acceptDisabled?: boolean;
  onAccept(): void;
  onReject(): void;
  children: ReactNode;
}

/** The dialog every prompt shares: a title, the question, a countdown, accept and reject. */
export function PromptFrame(props: PromptFrameProps) {
  const { kind, title, deadline, acceptLabel, rejectLabel, acceptDisabled, onAccept, onReject, children } = props;
  const seconds = useSecondsLeft(deadline);
  return (
    <Modal
      testId="prompt"
      data={{ 'data-kind': kind }}
      title={title}
      onSubmit={() => {
        if (!acceptDisabled) onAccept();
      }}
      onCancel={onReject}
      actions={
        <>
          <span className="countdown">Closes in {clock(seconds)}</span>
          <button type="button" data-testid="prompt-reject" onClick={onReject}>
            {rejectLabel}
          </button>
          <button type="submit" className="primary" data-testid="prompt-accept" disabled={acceptDisabled}>
            {acceptLabel}
          </button>
        </>
      }
    >
      {children}
    </Modal>
  );
}
