// `#/agents`: registered agents, agents known only from the registry, and unreachable agents.
import { master } from '../api.js';
import { usePoll } from '../poll.js';
import { Section, Status } from '../components.jsx';
import { cpus, megabytes, taskState, time } from '../format.js';
import { allTasks } from './Home.jsx';
import { href } from '../router.js';

function unreachableAgents(state) {
  const byAgent = new Map();
  allTasks(state, ['unreachable_tasks']).forEach((t) => {
    byAgent.set(t.slave_id, [...(byAgent.get(t.slave_id) || []), t]);
  });
  return byAgent;
}

export function Agents() {
  const { data: state, error } = usePoll(() => master('/state'), []);
  if (!state) return <Status error={error} loading />;
  const agents = state.slaves || [];
  const unreachable = unreachableAgents(state);
  return (
    <div class="page agents">
      <Status error={error} />
      <Section title="Agents" count={agents.length}>
        <table class="grid" id="agents-table">
          <thead>
            <tr><th>ID</th><th>Host</th><th>Status</th><th>CPUs (used / total)</th><th>Memory (used / total)</th>
              <th>Disk (used / total)</th><th>Registered</th></tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.id} class={a.active ? '' : 'inactive'}>
                <td><a href={href('agents', a.id)}>{a.id}</a></td>
                <td>{a.hostname}</td>
                <td>{a.active ? 'active' : 'inactive'}</td>
                <td>{cpus(a.used_resources.cpus)} / {cpus(a.resources.cpus)}</td>
                <td>{megabytes(a.used_resources.mem)} / {megabytes(a.resources.mem)}</td>
                <td>{megabytes(a.used_resources.disk)} / {megabytes(a.resources.disk)}</td>
                <td>{time(a.reregistered_time || a.registered_time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Unreachable agents" count={state.unreachable_slaves || 0}>
        {state.unreachable_slaves ? (
          <div class="unreachable">
            <p class="warn">
              {state.unreachable_slaves} agent(s) are unreachable: the master lost contact with them and marked
              their tasks unreachable; an agent that comes back re-registers and its tasks are reconciled.
            </p>
            {unreachable.size ? (
              <table class="grid">
                <thead><tr><th>Agent</th><th>Unreachable tasks</th></tr></thead>
                <tbody>
                  {[...unreachable].map(([id, tasks]) => (
                    <tr key={id}><td>{id}</td>
                      <td>{tasks.map((t) => `${t.id} (${taskState(t.state)})`).join(', ')}</td></tr>
                  ))}
                </tbody>
              </table>
            ) : <p class="muted">No unreachable tasks.</p>}
          </div>
        ) : <p class="muted">Every agent is reachable.</p>}
      </Section>
      {(state.recovered_slaves || []).length ? (
        <Section title="Recovered agents (not yet re-registered)" count={state.recovered_slaves.length}>
          <table class="grid">
            <thead><tr><th>ID</th><th>Host</th></tr></thead>
            <tbody>
              {state.recovered_slaves.map((a) => <tr key={a.id}><td>{a.id}</td><td>{a.hostname}</td></tr>)}
            </tbody>
          </table>
        </Section>
      ) : null}
    </div>
  );
}
