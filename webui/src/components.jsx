// Small shared pieces: loading and error notes, key/value tables, resource tables.
import { resources as formatResources, cpus, megabytes } from './format.js';

export function Status({ error, loading }) {
  if (error) return <p class="error">Failed to load: {String(error.message || error)}</p>;
  if (loading) return <p class="muted">Loading...</p>;
  return null;
}

export function Fields({ rows }) {
  return (
    <table class="fields">
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name}><th>{name}</th><td>{value}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

/** Resource columns side by side, e.g. [['Used', used], ['Total', total]]. */
export function ResourceTable({ columns }) {
  const row = (label, render) => (
    <tr><th>{label}</th>{columns.map(([name, r]) => <td key={name}>{render(r || {})}</td>)}</tr>
  );
  return (
    <table class="grid resources">
      <thead><tr><th></th>{columns.map(([name]) => <th key={name}>{name}</th>)}</tr></thead>
      <tbody>
        {row('CPUs', (r) => cpus(r.cpus))}
        {row('GPUs', (r) => cpus(r.gpus))}
        {row('Memory', (r) => megabytes(r.mem))}
        {row('Disk', (r) => megabytes(r.disk))}
      </tbody>
    </table>
  );
}

export function ResourceText({ value }) {
  return <span>{formatResources(value)}</span>;
}

export function Section({ title, children, count }) {
  return (
    <section>
      <h2>{title}{count !== undefined ? <span class="count">{count}</span> : null}</h2>
      {children}
    </section>
  );
}
