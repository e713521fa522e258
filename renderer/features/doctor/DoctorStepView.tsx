import { CircleCheck, CircleMinus, CircleX, TriangleAlert, type LucideIcon } from 'lucide-react';
import type { AuthAttempt, DoctorStatus, DoctorStep } from '../../../shared/doctor.js';
import { FixPermissions } from './FixPermissions.js';

const icons: Record<DoctorStatus, [LucideIcon, string]> = {
  pass: [CircleCheck, 'Passed'],
  warn: [TriangleAlert, 'Warning'],
  fail: [CircleX, 'Failed'],
  skip: [CircleMinus, 'Not checked'],
};

const attemptLabels: Record<AuthAttempt['result'], string> = {
  accepted: 'accepted',
  partial: 'partly accepted',
  refused: 'refused',
  failed: 'unusable',
  'not-tried': 'not tried',
};

const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** Plain words with `commands` in backticks, the way the doctor writes them. */
function Prose({ text }: { text: string }) {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}

/** One check: its verdict, what was found, the identities tried or the algorithm lists, and what to do. */
export function DoctorStepView({ step, onRunAgain }: { step: DoctorStep; onRunAgain(): void }) {
  const [Icon, label] = icons[step.status];
  return (
    <li className={`doctor-step doctor-${step.status}`} data-testid="doctor-step" data-status={step.status} data-step={step.id}>
      <Icon className="doctor-icon" size={16} aria-label={label} role="img" />
      <div className="doctor-step-body">
        <div className="doctor-step-head">
          <span className="doctor-step-title">{step.title}</span>
          {step.status !== 'skip' && <span className="doctor-ms">{duration(step.ms)}</span>}
        </div>
        <p className="doctor-detail">
          <Prose text={step.detail} />
        </p>
        {step.attempts && <Attempts attempts={step.attempts} />}
        {step.algorithms && <Algorithms {...step.algorithms} />}
        {step.advice && (
          <p className="doctor-advice" data-testid="doctor-advice">
            <Prose text={step.advice} />
          </p>
        )}
        {step.fixable && step.fixable.length > 0 && <FixPermissions paths={step.fixable} onRunAgain={onRunAgain} />}
      </div>
    </li>
  );
}

/** Every key, agent key and password offered, in order, with the server's answer. */
function Attempts({ attempts }: { attempts: AuthAttempt[] }) {
  return (
    <ul className="doctor-attempts" aria-label="Identities offered">
      {attempts.map((a, i) => (
        <li key={i} data-testid="doctor-attempt" data-result={a.result}>
          <span className={`attempt-result attempt-${a.result}`}>{attemptLabels[a.result]}</span>
          <code>{a.label}</code>
          {a.note && <span className="muted">{a.note}</span>}
        </li>
      ))}
    </ul>
  );
}

/** A failed key exchange: both sides' lists, which have nothing in common. */
function Algorithms({ category, server, warren }: { category: string; server: string[]; warren: string[] }) {
  return (
    <div className="doctor-algorithms" data-testid="doctor-algorithms">
      <AlgorithmList title={`The server offers (${category})`} names={server} />
      <AlgorithmList title="Warren offers" names={warren} />
    </div>
  );
}

function AlgorithmList({ title, names }: { title: string; names: string[] }) {
  return (
    <div>
      <span className="field-label">{title}</span>
      <ul>
        {names.map((name) => (
          <li key={name}>
            <code>{name}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
