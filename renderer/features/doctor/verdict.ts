import type { DoctorReport, DoctorStatus, DoctorStep } from '../../../shared/doctor.js';

/** Consecutive steps of the same hop: a jump chain reads hop by hop, in order. */
export function byHop(steps: DoctorStep[]): { hop: string; steps: DoctorStep[] }[] {
  const groups: { hop: string; steps: DoctorStep[] }[] = [];
  for (const step of steps) {
    const last = groups.at(-1);
    if (last?.hop === step.hop) last.steps.push(step);
    else groups.push({ hop: step.hop, steps: [step] });
  }
  return groups;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The report in one line: passed, or the first failure (else the first warning) and how many problems there are. */
export function verdict(report: DoctorReport): { tone: Exclude<DoctorStatus, 'skip'>; text: string } {
  if (report.ok) return { tone: 'pass', text: `Every check passed: Warren can log in to ${report.target}.` };
  const fails = report.steps.filter((s) => s.status === 'fail');
  const warns = report.steps.filter((s) => s.status === 'warn');
  const skipped = report.steps.filter((s) => s.status === 'skip').length;
  const first = fails[0] ?? warns[0];
  const where = first && first.hop !== report.target ? ` on ${first.hop}` : '';
  const counts = [
    fails.length > 0 && plural(fails.length, 'failure'),
    warns.length > 0 && plural(warns.length, 'warning'),
    skipped > 0 && `${skipped} not checked`,
  ]
    .filter(Boolean)
    .join(', ');
  const lead = fails.length > 0 ? `Failed: ${first!.title}${where}` : first ? `Needs attention: ${first.title}${where}` : 'Not every check passed';
  return { tone: fails.length > 0 ? 'fail' : 'warn', text: `${lead} (${counts}).` };
}
