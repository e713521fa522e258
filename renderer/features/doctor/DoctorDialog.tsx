import { Copy, LoaderCircle, RotateCw, Stethoscope } from 'lucide-react';
import { useEffect, useRef } from 'react';
import type { Target } from '../../../shared/model.js';
import { describeError } from '../../lib/errors.js';
import { Modal } from '../../lib/Modal.js';
import { useCopy } from '../../lib/useCopy.js';
import { DoctorStepView } from './DoctorStepView.js';
import { useDoctorRun, type DoctorRun } from './useDoctorRun.js';
import { byHop, verdict } from './verdict.js';

/** The connection doctor's run for one target: the steps as they come in, hop by hop, then the verdict. */
export function DoctorDialog({ target, title, onClose }: { target: Target; title: string; onClose(): void }) {
  const run = useDoctorRun(target);
  const copy = useCopy();
  const { report } = run;
  const list = useRef<HTMLDivElement>(null);
  // the verdict is in: bring the first problem into view (the passed steps above it matter less)
  useEffect(() => {
    if (report) list.current?.querySelector('[data-status=fail], [data-status=warn]')?.scrollIntoView({ block: 'nearest' });
  }, [report]);
  return (
    <Modal
      testId="doctor"
      title={
        <>
          <Stethoscope size={15} /> Connection doctor: {title}
        </>
      }
      data={{ 'data-done': String(run.done) }}
      onSubmit={onClose}
      onCancel={onClose}
      actions={
        <>
          <button type="button" data-testid="doctor-copy" disabled={!report} onClick={() => report && void copy(report.text)}>
            <Copy size={13} /> Copy report
          </button>
          <button type="button" data-testid="doctor-again" disabled={!run.done} onClick={run.again}>
            <RotateCw size={13} /> Run again
          </button>
          <button type="submit" className="primary" data-testid="doctor-close" autoFocus>
            Close
          </button>
        </>
      }
    >
      <Status run={run} title={title} />
      <div className="doctor-steps" ref={list}>
        {byHop(run.steps).map(({ hop, steps }, i) => (
          <section key={`${i}-${hop}`} className="doctor-hop" data-testid="doctor-hop" data-hop={hop}>
            <h3>{hop}</h3>
            <ol>
              {steps.map((step) => (
                <DoctorStepView key={step.id} step={step} onRunAgain={run.again} />
              ))}
            </ol>
          </section>
        ))}
      </div>
    </Modal>
  );
}

/** Checking…, the verdict once the report is in, or why the run broke off. */
function Status({ run, title }: { run: DoctorRun; title: string }) {
  if (run.report) {
    const { tone, text } = verdict(run.report);
    return (
      <p className={`doctor-summary doctor-${tone}`} data-testid="doctor-summary" data-ok={run.report.ok}>
        {text}
      </p>
    );
  }
  if (run.error) {
    return (
      <p className="form-error" data-testid="doctor-error">
        The doctor stopped: {describeError(run.error)}
      </p>
    );
  }
  return (
    <p className="doctor-progress muted">
      <LoaderCircle size={14} className="spin" /> Checking the way to {title}: name, network, SSH, host key, login…
    </p>
  );
}
