import { RotateCw, Wrench } from 'lucide-react';
import { useState } from 'react';
import { useClient } from '../../lib/client.js';
import { useFeedback } from '../../lib/feedback.js';

/** "Fix (chmod 600)" for the key files the doctor found readable by others; once done, it offers to run the doctor again. */
export function FixPermissions({ paths, onRunAgain }: { paths: string[]; onRunAgain(): void }) {
  const client = useClient();
  const { reportError } = useFeedback();
  const [state, setState] = useState<'idle' | 'fixing' | 'fixed'>('idle');
  const fix = () => {
    setState('fixing');
    Promise.all(paths.map((path) => client.call('doctor.fixKeyPermissions', { path }))).then(
      () => setState('fixed'),
      (e: unknown) => {
        setState('idle');
        reportError(e);
      },
    );
  };
  if (state === 'fixed') {
    return (
      <div className="doctor-fixed" data-testid="doctor-fixed">
        <span>Set to 0600: readable by you alone.</span>
        <button type="button" data-testid="doctor-fix-again" onClick={onRunAgain}>
          <RotateCw size={13} /> Run the doctor again
        </button>
      </div>
    );
  }
  return (
    <button type="button" className="doctor-fix" data-testid="doctor-fix" disabled={state === 'fixing'} onClick={fix}>
      <Wrench size={13} /> Fix (chmod 600)
    </button>
  );
}
