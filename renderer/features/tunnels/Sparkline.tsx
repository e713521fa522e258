import { formatBytes } from './format.js';

const SAMPLES = 60;
const WIDTH = 90;
const HEIGHT = 20;

/** Traffic (bytes per second, in + out) over the last minute, newest on the right. */
export function Sparkline({ history }: { history: number[] }) {
  const samples = [...Array<number>(Math.max(0, SAMPLES - history.length)).fill(0), ...history.slice(-SAMPLES)];
  const peak = Math.max(...samples);
  const scale = peak > 0 ? (HEIGHT - 2) / peak : 0;
  const points = samples.map((v, i) => `${((i * WIDTH) / (SAMPLES - 1)).toFixed(1)},${(HEIGHT - 1 - v * scale).toFixed(1)}`).join(' ');
  const label = peak > 0 ? `Traffic, last minute: peak ${formatBytes(peak)}/s` : 'No traffic in the last minute';
  return (
    <svg
      className="sparkline"
      data-testid="tunnel-sparkline"
      data-peak={peak}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
    >
      <title>{label}</title>
      <polyline points={`0,${HEIGHT} ${points} ${WIDTH},${HEIGHT}`} className="sparkline-area" />
      <polyline points={points} className="sparkline-line" />
    </svg>
  );
}
