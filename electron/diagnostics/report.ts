// The doctor's report as plain text: what the CLI prints and what "Copy report" puts on the clipboard.
import type { DoctorStatus, DoctorStep } from '../../shared/doctor.js';

const MARK: Record<DoctorStatus, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'skip' };

/** One step: verdict, title and timing, then what was found, each attempt, and the advice. */
export function stepText(s: DoctorStep): string {
  const lines = [`  ${MARK[s.status]}  ${s.title} (${s.ms} ms)`, `        ${s.detail}`];
  for (const a of s.attempts ?? []) lines.push(`        - ${a.label}: ${a.result}${a.note ? ` (${a.note})` : ''}`);
  if (s.advice) lines.push(`        What to do: ${s.advice}`);
  return lines.join('\n');
}

/** One line: every check passed, or how many problems and where the first one is. */
export function summary(steps: DoctorStep[]): string {
  const problems = steps.filter((s) => s.status === 'fail' || s.status === 'warn');
  const first = problems[0];
  return first
    ? `Result: ${problems.length} problem${problems.length === 1 ? '' : 's'}; the first: ${first.hop}: ${first.title}`
    : 'Result: every check passed';
}

/** The whole report, steps grouped by hop; passwords, passphrases and private key blocks removed. */
export function reportText(target: string, startedAt: number, steps: DoctorStep[], secrets: Iterable<string>): string {
  const lines = [`Warren connection doctor: ${target}, ${new Date(startedAt).toISOString()}`, summary(steps)];
  let hop: string | null = null;
  for (const s of steps) {
    if (s.hop !== hop) lines.push('', (hop = s.hop));
    lines.push(stepText(s));
  }
  return redact(lines.join('\n'), secrets);
}

/**
 * Text to share, without secrets: no step puts one in, but servers' words (banners, disconnect
 * messages) land in the report too. Secrets shorter than 4 characters are left alone: replacing
 * them would garble the report and hide little.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text.replace(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, '[private key removed]');
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[secret removed]');
  return out;
}

/** A step with `redact` applied to every text in it (the report's steps, which `warren doctor --json` prints). */
export function redactStep(s: DoctorStep, secrets: Iterable<string>): DoctorStep {
  const list = [...secrets];
  const r = (text: string) => redact(text, list);
  return {
    ...s,
    title: r(s.title),
    detail: r(s.detail),
    advice: s.advice === null ? null : r(s.advice),
    ...(s.attempts && { attempts: s.attempts.map((a) => ({ ...a, label: r(a.label), note: a.note === null ? null : r(a.note) })) }),
  };
}
