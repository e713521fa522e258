import { Circle, CircleCheck, CircleMinus, CircleX, LoaderCircle, RefreshCw } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RotateEvent, RotateStep, RotateStepId } from '../../../shared/keys.js';
import type { HostRecord } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';
import { describeError } from '../../lib/errors.js';
import { Modal } from '../../lib/Modal.js';

const stepTitles: Record<RotateStepId, string> = {
  generate: 'Generate a new key',
  deploy: 'Deploy it to the host',
  test: 'Test a login with it alone',
  switch: 'Switch the host to it',
  'remove-old': "Remove the old key's line",
};
const order = Object.keys(stepTitles) as RotateStepId[];

type Done = Extract<RotateEvent, { type: 'done' }>;

/** The guided rotation of a host's key: confirm, then each step as it runs, then the outcome. */
export function RotateDialog({ host, onClose, onDone }: { host: HostRecord; onClose(): void; onDone?(): void }) {
  const [started, setStarted] = useState(false);
  return (
    <Modal
      testId="rotate-dialog"
      wide
      title={
        <>
          <RefreshCw size={15} /> Rotate the key of {host.name}
        </>
      }
      onSubmit={() => (started ? onClose() : setStarted(true))}
      onCancel={onClose}
      actions={
        started ? (
          <button type="submit" className="primary" data-testid="close" autoFocus>
            Close
          </button>
        ) : (
          <>
            <button type="button" data-testid="cancel" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" data-testid="rotate-start" autoFocus>
              Rotate
            </button>
          </>
        )
      }
    >
      {started ? (
        <RotateRun host={host} onDone={onDone} />
      ) : (
        <p>
          Warren generates a new Ed25519 key, deploys it to {host.name} with the old line's options, tests a login with it, switches the host to it, then
          removes the old key's line. A failed step stops the rotation and the old key keeps working.
        </p>
      )}
    </Modal>
  );
}

function RotateRun({ host, onDone }: { host: HostRecord; onDone?: (() => void) | undefined }) {
  const client = useClient();
  const [steps, setSteps] = useState<Partial<Record<RotateStepId, RotateStep>>>({});
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState<string | null>(null);
  const finished = useRef(onDone);
  useLayoutEffect(() => {
    finished.current = onDone;
  });
  useEffect(
    () =>
      client.subscribe(
        'keys.rotate',
        { hostId: host.id },
        {
          onEvent: (e) => {
            if (e.type === 'step') setSteps((s) => ({ ...s, [e.step.id]: e.step }));
            else {
              setDone(e);
              finished.current?.();
            }
          },
          onEnd: (err) => {
            if (err) setError(describeError(err));
          },
        },
      ),
    [client, host.id],
  );
  return (
    <div data-testid="rotate-run" data-done={String(done !== null)} data-ok={done ? String(done.ok) : ''}>
      <ol className="rotate-steps">
        {order.map((id) => {
          const step = steps[id];
          const status = step?.status ?? 'pending';
          return (
            <li key={id} className={`rotate-step rotate-${status}`} data-testid="rotate-step" data-step={id} data-status={status}>
              <StepIcon status={status} />
              <div>
                <div>{stepTitles[id]}</div>
                {step?.detail && <div className="muted">{step.detail}</div>}
                {step?.error && <div className="rotate-error">{step.error.message}</div>}
              </div>
            </li>
          );
        })}
      </ol>
      {done && (
        <p className={done.ok ? 'rotate-message ok' : 'form-error'} data-testid="rotate-message">
          {done.message}
        </p>
      )}
      {error && <p className="form-error">The rotation stopped: {error}</p>}
    </div>
  );
}

function StepIcon({ status }: { status: RotateStep['status'] | 'pending' }) {
  if (status === 'running') return <LoaderCircle size={14} className="spin" />;
  if (status === 'done') return <CircleCheck size={14} />;
  if (status === 'failed') return <CircleX size={14} />;
  if (status === 'skipped') return <CircleMinus size={14} />;
  return <Circle size={14} />;
}
