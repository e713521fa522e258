import { useCallback, useEffect, useState } from 'react';
import type { DoctorReport, DoctorStep } from '../../../shared/doctor.js';
import type { WarrenError } from '../../../shared/errors.js';
import type { Target } from '../../../shared/model.js';
import { useClient } from '../../lib/client.js';

interface RunState {
  steps: DoctorStep[];
  report: DoctorReport | null;
  /** why the run broke off (the host was deleted, Warren's server went away); null when it did not */
  error: WarrenError | null;
  done: boolean;
}

const fresh: RunState = { steps: [], report: null, error: null, done: false };

export interface DoctorRun extends RunState {
  /** starts over: the steps so far are cleared */
  again(): void;
}

/** One `doctor.run` of the target: its steps as they arrive, then its report; `again` runs it anew. */
export function useDoctorRun(target: Target): DoctorRun {
  const client = useClient();
  const [round, setRound] = useState(0);
  const [state, setState] = useState(fresh);
  useEffect(
    () =>
      client.subscribe(
        'doctor.run',
        { target },
        {
          onEvent: (e) => setState((s) => (e.type === 'step' ? { ...s, steps: [...s.steps, e.step] } : { ...s, steps: e.report.steps, report: e.report })),
          onEnd: (error) => setState((s) => ({ ...s, error, done: true })),
        },
      ),
    [client, target, round],
  );
  const again = useCallback(() => {
    setState(fresh);
    setRound((r) => r + 1);
  }, []);
  return { ...state, again };
}
