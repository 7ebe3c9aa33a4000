// A history of /metrics/snapshot samples, polled while the UI is open (kept across pages), for the charts.
import { master } from './api.js';

const MAX_SAMPLES = 90;
const samples = [];
const listeners = new Set();
let timer = null;

const TERMINAL_FAILED = ['master/tasks_failed', 'master/tasks_error', 'master/tasks_lost', 'master/tasks_killed',
  'master/tasks_dropped', 'master/tasks_gone'];

async function poll() {
  try {
    const snapshot = await master('/metrics/snapshot');
    samples.push({ t: Date.now() / 1000, m: snapshot });
    if (samples.length > MAX_SAMPLES) samples.shift();
    listeners.forEach((l) => l(samples));
  } catch (e) {
    // A missed sample leaves a gap in time, nothing more.
  }
}

/** Starts polling every `intervalMs` (once for the whole page). */
export function startMetrics(intervalMs = 2000) {
  if (timer === null) {
    poll();
    timer = setInterval(poll, intervalMs);
  }
}

export function subscribe(listener) {
  listeners.add(listener);
  listener(samples);
  return () => listeners.delete(listener);
}

const value = (s, key) => Number(s.m[key]) || 0;
const failedCount = (s) => TERMINAL_FAILED.reduce((acc, k) => acc + value(s, k), 0);

/** Per-second rate of a counter between consecutive samples. */
function rate(all, count) {
  const out = [];
  for (let i = 1; i < all.length; i++) {
    const dt = all[i].t - all[i - 1].t;
    out.push({ t: all[i].t, v: dt > 0 ? Math.max(0, (count(all[i]) - count(all[i - 1])) / dt) : 0 });
  }
  return out;
}

/** Allocation: the fraction of the cluster's CPUs, memory and disk in use. */
export function allocationSeries(all) {
  return ['cpus', 'mem', 'disk'].map((r) => ({
    name: r,
    points: all.map((s) => ({ t: s.t, v: 100 * value(s, `master/${r}_percent`) })),
  }));
}

/** Task rates: tasks finished and failed (or killed, lost...) per second, and tasks running. */
export function taskSeries(all) {
  return [
    { name: 'finished/s', points: rate(all, (s) => value(s, 'master/tasks_finished')) },
    { name: 'failed/s', points: rate(all, failedCount) },
    { name: 'started/s', points: rate(all, (s) => value(s, 'master/tasks_running') + value(s, 'master/tasks_finished')
      + failedCount(s)) },
  ];
}

export function runningSeries(all) {
  return [
    { name: 'running', points: all.map((s) => ({ t: s.t, v: value(s, 'master/tasks_running') })) },
    { name: 'staging', points: all.map((s) => ({ t: s.t, v: value(s, 'master/tasks_staging') })) },
  ];
}
