import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Target } from '../../../shared/model.js';
import { DoctorDialog } from './DoctorDialog.js';
import './doctor.css';

interface Doctor {
  /** opens the connection doctor for a saved host or a quick target; `title` names it in the dialog */
  diagnose(target: Target, title: string): void;
}

const DoctorContext = createContext<Doctor | null>(null);

/** Lets any failed connection or host row open the doctor; holds the one doctor dialog. */
export function DoctorProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState<{ target: Target; title: string } | null>(null);
  const doctor = useMemo<Doctor>(() => ({ diagnose: (target, title) => setOpen({ target, title }) }), []);
  return (
    <DoctorContext value={doctor}>
      {children}
      {open && <DoctorDialog target={open.target} title={open.title} onClose={() => setOpen(null)} />}
    </DoctorContext>
  );
}

export function useDoctor(): Doctor {
  const doctor = useContext(DoctorContext);
  if (!doctor) throw new Error('useDoctor() needs a <DoctorProvider> above it');
  return doctor;
}
