// The doctor's report text: steps grouped by hop, and nothing secret in what the user copies.
import { describe, expect, it } from 'vitest';
import type { DoctorStep } from '../../shared/doctor.js';
import { redact, redactStep, reportText, summary } from '../../electron/diagnostics/report.js';

const step = (over: Partial<DoctorStep>): DoctorStep => ({
  id: 'auth',
  hop: 'db',
  title: 'Log in as alice',
  status: 'pass',
  ms: 12,
  detail: 'Logged in.',
  advice: null,
  ...over,
});

describe('doctor report', () => {
  it('groups the steps by hop and leads with the first problem', () => {
    const text = reportText(
      'db',
      Date.UTC(2026, 0, 2, 3, 4, 5),
      [
        step({ id: 'tcp', hop: 'bastion', title: 'TCP connection to 10.0.0.1:22' }),
        step({
          status: 'fail',
          detail: 'alice@db refused every login.',
          advice: 'Add the key.',
          attempts: [{ label: 'password (saved)', result: 'refused', note: null }],
        }),
      ],
      [],
    );
    expect(text).toBe(
      [
        'Warren connection doctor: db, 2026-01-02T03:04:05.000Z',
        'Result: 1 problem; the first: db: Log in as alice',
        '',
        'bastion',
        '  PASS  TCP connection to 10.0.0.1:22 (12 ms)',
        '        Logged in.',
        '',
        'db',
        '  FAIL  Log in as alice (12 ms)',
        '        alice@db refused every login.',
        '        - password (saved): refused',
        '        What to do: Add the key.',
      ].join('\n'),
    );
    expect(summary([step({})])).toBe('Result: every check passed');
  });

  it('removes passwords and private key blocks, keeps user and host names', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    const text = reportText(
      'alice@db.example.com',
      0,
      [step({ detail: `The server said: bad password hunter22 for alice@db.example.com ${key}` })],
      ['hunter22', 'pw'],
    );
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
    expect(text).toContain('[secret removed] for alice@db.example.com [private key removed]');
    expect(redact('a password of pw', ['pw'])).toBe('a password of pw');
  });

  it('removes them from a step too, every text in it (the report’s steps, which warren doctor --json prints)', () => {
    const s = redactStep(
      step({
        detail: 'echoed hunter22',
        advice: 'not hunter22',
        attempts: [{ label: 'password hunter22', result: 'refused', note: 'said hunter22' }],
      }),
      ['hunter22'],
    );
    expect(JSON.stringify(s)).not.toContain('hunter22');
    expect(s).toMatchObject({ detail: 'echoed [secret removed]', advice: 'not [secret removed]', attempts: [{ note: 'said [secret removed]' }] });
    expect(redactStep(step({ detail: 'nothing secret' }), ['hunter22']).detail).toBe('nothing secret');
  });
});
