// A small inline-SVG line chart of time series ({name, points: [{t, v}]}).
import { useEffect, useState } from 'preact/hooks';
import { subscribe } from './metrics.js';

const W = 420;
const H = 120;
const PAD = 4;
const COLORS = ['#2b6cb0', '#c05621', '#2f855a', '#6b46c1'];

function format(v) {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function LineChart({ title, series, fixedMax, unit = '' }) {
  const all = series.flatMap((s) => s.points);
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t));
  const max = fixedMax || Math.max(1, ...all.map((p) => p.v));
  const x = (t) => PAD + (t1 > t0 ? ((t - t0) / (t1 - t0)) * (W - 2 * PAD) : 0);
  const y = (v) => H - PAD - (v / max) * (H - 2 * PAD);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={title}>
        <rect x="0" y="0" width={W} height={H} class="plot" />
        <line x1={PAD} x2={W - PAD} y1={y(max / 2)} y2={y(max / 2)} class="gridline" />
        <text x={W - PAD} y={12} text-anchor="end" class="axis">{format(max)}{unit}</text>
        {series.map((s, i) => (s.points.length > 1 ? (
          <polyline key={s.name} fill="none" stroke={COLORS[i % COLORS.length]} stroke-width="2"
            points={s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')} />
        ) : null))}
      </svg>
      <div class="legend">
        {series.map((s, i) => {
          const last = s.points.length ? s.points[s.points.length - 1].v : 0;
          return (
            <span key={s.name}>
              <i style={{ background: COLORS[i % COLORS.length] }} />{s.name}: {format(last)}{unit}
            </span>
          );
        })}
      </div>
    </figure>
  );
}

/** Re-renders with the metric history as it grows. */
export function useMetricHistory() {
  const [samples, setSamples] = useState([]);
  useEffect(() => subscribe((all) => setSamples([...all])), []);
  return samples;
}
