// The connection doctor's dialog: steps grouped hop by hop, and the one-line verdict above them.
import { describe, expect, it } from 'vitest';
import type { DoctorReport, DoctorStep } from '../../../../shared/doctor.js';
import { byHop, verdict } from '../../../../renderer/features/doctor/verdict.js';

const step = (over: Partial<DoctorStep>): DoctorStep => ({
  id: 'tcp',
  hop: 'db',
  title: 'TCP connection',
  status: 'pass',
  ms: 3,
  detail: '',
  advice: null,
  ...over,
});
const report = (steps: DoctorStep[], over: Partial<DoctorReport> = {}): DoctorReport => ({ target: 'db', ok: false, startedAt: 0, steps, text: '', ...over });

describe('byHop', () => {
  it('groups consecutive steps of a hop, in the order the chain is crossed', () => {
    const groups = byHop([
      step({ hop: 'bastion', id: 'dns' }),
      step({ hop: 'bastion', id: 'tcp' }),
      step({ hop: 'db', id: 'tcp' }),
      step({ hop: 'db', id: 'auth' }),
    ]);
    expect(groups.map((g) => [g.hop, g.steps.map((s) => s.id)])).toEqual([
      ['bastion', ['dns', 'tcp']],
      ['db', ['tcp', 'auth']],
    ]);
  });

  it('a hop that comes back later is a new group, so the order stays as it happened', () => {
    expect(byHop([step({ hop: 'a' }), step({ hop: 'b' }), step({ hop: 'a' })]).map((g) => g.hop)).toEqual(['a', 'b', 'a']);
  });

  it('no steps yet, no groups', () => {
    expect(byHop([])).toEqual([]);
  });
});

describe('verdict', () => {
  it('all passed: Warren can log in', () => {
    expect(verdict(report([step({})], { ok: true }))).toEqual({ tone: 'pass', text: 'Every check passed: Warren can log in to db.' });
  });

  it('leads with the first failure and counts the problems', () => {
    const v = verdict(
      report([
        step({ status: 'warn', title: 'Host key' }),
        step({ status: 'fail', title: 'Log in as alice' }),
        step({ status: 'fail', title: 'Shell' }),
        step({ status: 'skip' }),
      ]),
    );
    expect(v).toEqual({ tone: 'fail', text: 'Failed: Log in as alice (2 failures, 1 warning, 1 not checked).' });
  });

  it('names the jump host a failure is on; not the target itself', () => {
    expect(verdict(report([step({ hop: 'bastion', status: 'fail', title: 'TCP connection to 10.0.0.1:22' })])).text).toBe(
      'Failed: TCP connection to 10.0.0.1:22 on bastion (1 failure).',
    );
    expect(verdict(report([step({ hop: 'db', status: 'fail', title: 'Log in' })])).text).toBe('Failed: Log in (1 failure).');
  });

  it('warnings only: needs attention, with the first warning', () => {
    const v = verdict(
      report([step({ status: 'warn', title: 'Key file readable by others', hop: 'bastion' }), step({ status: 'warn', title: 'Old algorithm' })]),
    );
    expect(v).toEqual({ tone: 'warn', text: 'Needs attention: Key file readable by others on bastion (2 warnings).' });
  });

  it('a report that is not ok with only skipped steps still says so', () => {
    expect(verdict(report([step({ status: 'skip' }), step({ status: 'skip' })]))).toEqual({ tone: 'warn', text: 'Not every check passed (2 not checked).' });
  });
});
