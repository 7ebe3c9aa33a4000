// Formatting of the values Mesos' JSON carries: resources, sizes, times, ids, task states.

/** Megabytes (as Mesos counts mem and disk) in a readable unit. */
export function megabytes(mb) {
  const value = Number(mb) || 0;
  if (value >= 1024 * 1024) return `${(value / (1024 * 1024)).toFixed(1)} TB`;
  if (value >= 1024) return `${(value / 1024).toFixed(1)} GB`;
  return `${value.toFixed(0)} MB`;
}

/** Bytes (file sizes) in a readable unit. */
export function bytes(n) {
  const value = Number(n) || 0;
  if (value >= 1 << 30) return `${(value / (1 << 30)).toFixed(1)} GB`;
  if (value >= 1 << 20) return `${(value / (1 << 20)).toFixed(1)} MB`;
  if (value >= 1 << 10) return `${(value / (1 << 10)).toFixed(1)} KB`;
  return `${value} B`;
}

export function cpus(value) {
  const n = Number(value) || 0;
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** A resources object of Mesos' JSON (`{cpus, mem, disk, gpus, ports}`) as short text. */
export function resources(r) {
  if (!r) return '-';
  const parts = [`${cpus(r.cpus)} CPUs`, megabytes(r.mem), `${megabytes(r.disk)} disk`];
  if (r.gpus) parts.push(`${r.gpus} GPUs`);
  return parts.join(', ');
}

/** Seconds since the epoch (Mesos' timestamps) as a local date and time. */
export function time(seconds) {
  if (!seconds) return '-';
  return new Date(Number(seconds) * 1000).toLocaleString();
}

/** `TASK_RUNNING` -> `RUNNING`. */
export function taskState(state) {
  return (state || '').replace(/^TASK_/, '');
}

/** The executor id a task runs under: the task id for the command executor, as Mesos' UI. */
export function executorOf(task) {
  return task.executor_id || task.id;
}

/** Sums a key of the resources of many objects. */
export function sum(items, pick) {
  return items.reduce((acc, item) => {
    const r = pick(item) || {};
    acc.cpus += Number(r.cpus) || 0;
    acc.mem += Number(r.mem) || 0;
    acc.disk += Number(r.disk) || 0;
    acc.gpus += Number(r.gpus) || 0;
    return acc;
  }, { cpus: 0, mem: 0, disk: 0, gpus: 0 });
}
