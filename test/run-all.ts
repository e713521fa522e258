// `npm test`: every check, in order, each against real components; stops at nothing, fails if any fails.
// Needs root (sshd checks passwords and allocates PTYs only as root) and the apt packages .ci/run installs.
import { execFileSync, spawn } from 'node:child_process';

// `minutes`: a step still running after that long is stopped (its whole process group) and counts as
// failed, with what was still running printed, so a hang costs minutes, not CI's whole budget. Each is
// about 3× the step's time on a 2-core CI machine.
const steps: { name: string; cmd: string; minutes: number }[] = [
  { name: 'lint (layering rules)', cmd: 'npm run --silent lint', minutes: 5 },
  { name: 'typecheck', cmd: 'npm run --silent typecheck', minutes: 5 },
  { name: 'security', cmd: 'npm run --silent test:security', minutes: 3 },
  { name: 'unit', cmd: 'npx vitest run --project unit', minutes: 5 },
  { name: 'integration (real sshd, agent, keyring)', cmd: 'test/with-keyring.sh npx vitest run --project integration', minutes: 25 },
  { name: 'e2e (Chromium, browser mode)', cmd: 'npm run --silent test:e2e', minutes: 25 },
  { name: 'e2e (Electron)', cmd: 'npm run --silent test:electron', minutes: 5 },
];

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const count = (text: string, re: RegExp) => [...plain(text).matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);

function run(cmd: string, minutes: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    // its own process group, so that a stop reaches every sshd, browser and worker it started
    const child = spawn('bash', ['-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' }, detached: true });
    const watchdog = setTimeout(() => {
      console.error(`\n!!! still running after ${minutes} min: stopped. What was running:`);
      try {
        console.error(execFileSync('ps', ['-o', 'pid,etime,args', '--forest', '-g', String(child.pid)], { encoding: 'utf8' }));
      } catch {
        // ps found nothing: the group is already gone
      }
      process.kill(-child.pid!, 'SIGKILL');
    }, minutes * 60_000);
    let out = '';
    const tee = (d: Buffer, to: NodeJS.WriteStream) => {
      out += d.toString();
      to.write(d);
    };
    child.stdout.on('data', (d: Buffer) => tee(d, process.stdout));
    child.stderr.on('data', (d: Buffer) => tee(d, process.stderr));
    child.on('close', (code) => {
      clearTimeout(watchdog);
      resolve({ code: code ?? 1, out });
    });
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps: string[] = [];
const started = Date.now();
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.cmd}`);
  const t = Date.now();
  const { code, out } = await run(step.cmd, step.minutes);
  // vitest: "Tests  12 passed | 1 failed (13)"; playwright: "  3 passed (20.1s)", "1 skipped"; security: "N checks passed, M failed"
  const vitest = /^\s*Tests\s+(.*)$/m.exec(plain(out));
  const summary = vitest ? vitest[1]! : plain(out);
  totals.passed += count(summary, /(\d+) (?:checks )?passed/g);
  totals.failed += count(summary, /(\d+) failed/g);
  totals.skipped += count(summary, /(\d+) skipped/g);
  if (code !== 0) failedSteps.push(step.name);
  console.log(`=== ${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
console.log(`\nAll steps took ${((Date.now() - started) / 1000).toFixed(0)} s.${failedSteps.length ? ` Failed: ${failedSteps.join(', ')}.` : ''}`);
console.log(`${totals.passed} passed, ${totals.failed + (failedSteps.length && !totals.failed ? failedSteps.length : 0)} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length === 0 ? 0 : 1);
