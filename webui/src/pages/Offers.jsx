// `#/offers` (outstanding offers, from /state) and `#/roles` (from /roles).
import { master } from '../api.js';
import { usePoll } from '../poll.js';
import { Section, Status } from '../components.jsx';
import { resources } from '../format.js';
import { href } from '../router.js';

export function Offers() {
  const { data: state, error } = usePoll(() => master('/state'), []);
  if (!state) return <Status error={error} loading />;
  const offers = (state.frameworks || []).flatMap((f) => (f.offers || []).map((o) => ({ ...o, framework: f })));
  return (
    <div class="page offers">
      <Status error={error} />
      <Section title="Outstanding offers" count={offers.length}>
        {offers.length === 0 ? <p class="muted">No outstanding offers.</p> : (
          <table class="grid" id="offers-table">
            <thead><tr><th>ID</th><th>Framework</th><th>Agent</th><th>Role</th><th>Resources</th></tr></thead>
            <tbody>
              {offers.map((o) => (
                <tr key={o.id}>
                  <td>{o.id}</td>
                  <td><a href={href('frameworks', o.framework_id)}>{o.framework.name}</a></td>
                  <td><a href={href('agents', o.slave_id)}>{o.slave_id}</a></td>
                  <td>{(o.allocation_info && o.allocation_info.role) || '-'}</td>
                  <td>{resources(o.resources)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}

/** Quantities in /roles (`{cpus: 1, mem: 32}`) as text. */
function quantities(q) {
  const entries = Object.entries(q || {});
  return entries.length ? entries.map(([k, v]) => `${k}: ${Math.round(v * 100) / 100}`).join(', ') : '-';
}

export function Roles() {
  const { data, error } = usePoll(() => master('/roles'), []);
  if (!data) return <Status error={error} loading />;
  const roles = data.roles || [];
  return (
    <div class="page roles">
      <Status error={error} />
      <Section title="Roles" count={roles.length}>
        <table class="grid" id="roles-table">
          <thead>
            <tr><th>Role</th><th>Weight</th><th>Frameworks</th><th>Allocated</th><th>Offered</th><th>Reserved</th>
              <th>Quota guarantee</th><th>Quota limit</th></tr>
          </thead>
          <tbody>
            {roles.map((r) => (
              <tr key={r.name}>
                <td>{r.name}</td><td>{r.weight}</td><td>{(r.frameworks || []).length}</td>
                <td>{quantities(r.allocated)}</td><td>{quantities(r.offered)}</td><td>{quantities(r.reserved)}</td>
                <td>{quantities(r.quota && r.quota.guarantee)}</td><td>{quantities(r.quota && r.quota.limit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
