// `#/`: the cluster at a glance: leader, agents, resources, tasks by state, live charts, active tasks.
import { master } from '../api.js';
import { usePoll } from '../poll.js';
import { Fields, ResourceTable, Section, Status } from '../components.jsx';
import { sum, taskState, time } from '../format.js';
import { TaskTable } from '../tasks.jsx';
import { LineChart, useMetricHistory } from '../chart.jsx';
import { allocationSeries, runningSeries, taskSeries } from '../metrics.js';
import { href } from '../router.js';

export function allTasks(state, kinds = ['tasks', 'unreachable_tasks', 'completed_tasks']) {
  const frameworks = [...(state.frameworks || []), ...(state.completed_frameworks || [])];
  return frameworks.flatMap((f) => kinds.flatMap((k) => f[k] || []));
}

function tasksByState(state) {
  const counts = {};
  allTasks(state).forEach((t) => {
    counts[taskState(t.state)] = (counts[taskState(t.state)] || 0) + 1;
  });
  return counts;
}

function Charts() {
  const samples = useMetricHistory();
  if (samples.length < 2) return <p class="muted">Collecting metrics...</p>;
  return (
    <div class="charts">
      <LineChart title="Allocation (% of the cluster)" series={allocationSeries(samples)} fixedMax={100} unit="%" />
      <LineChart title="Task rates (per second)" series={taskSeries(samples)} />
      <LineChart title="Tasks running and staging" series={runningSeries(samples)} />
    </div>
  );
}

export function Home() {
  const { data: state, error } = usePoll(() => master('/state'), []);
  if (!state) return <Status error={error} loading />;
  const agents = state.slaves || [];
  const total = sum(agents, (a) => a.resources);
  const used = sum(agents, (a) => a.used_resources);
  const offered = sum(agents, (a) => a.offered_resources);
  const idle = {
    cpus: total.cpus - used.cpus - offered.cpus, mem: total.mem - used.mem - offered.mem,
    disk: total.disk - used.disk - offered.disk, gpus: total.gpus - used.gpus - offered.gpus,
  };
  const counts = tasksByState(state);
  const order = ['STAGING', 'STARTING', 'RUNNING', 'KILLING', 'FINISHED', 'FAILED', 'KILLED', 'LOST', 'ERROR',
    'DROPPED', 'UNREACHABLE', 'GONE', 'GONE_BY_OPERATOR', 'UNKNOWN'];
  const names = [...order.filter((s) => counts[s] !== undefined || order.indexOf(s) < 8),
    ...Object.keys(counts).filter((s) => !order.includes(s))];
  return (
    <div class="page home">
      <Status error={error} />
      <div class="columns">
        <Section title="Cluster">
          <Fields rows={[
            ['Cluster', state.cluster || '(unnamed)'],
            ['Leader', <span id="leader">{state.leader || '-'}</span>],
            ['Version', state.version],
            ['Started', time(state.start_time)],
            ['Elected', time(state.elected_time)],
            ['Log', state.log_dir || state.external_log_file
              ? <a id="master-log" href={href('log')}>/master/log</a>
              : <span class="muted">none (no --log_dir)</span>],
          ]} />
        </Section>
        <Section title="Agents">
          <Fields rows={[
            ['Activated', <a id="agents-activated" href={href('agents')}>{state.activated_slaves}</a>],
            ['Deactivated', state.deactivated_slaves],
            ['Unreachable', <a id="agents-unreachable" class={state.unreachable_slaves ? 'warn' : ''}
              href={href('agents')}>{state.unreachable_slaves}</a>],
          ]} />
        </Section>
        <Section title="Tasks">
          <table class="fields task-counts">
            <tbody>
              {names.map((s) => (
                <tr key={s}><th>{s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, ' ')}</th>
                  <td data-state={s}>{counts[s] || 0}</td></tr>
              ))}
            </tbody>
          </table>
        </Section>
      </div>
      <Section title="Resources">
        <ResourceTable columns={[['Used', used], ['Offered', offered], ['Idle', idle], ['Total', total]]} />
      </Section>
      <Section title="Live metrics"><Charts /></Section>
      <TaskTable title="Active tasks" tasks={allTasks(state, ['tasks'])} showFramework />
      <TaskTable title="Completed tasks" tasks={allTasks(state, ['completed_tasks'])} showFramework />
    </div>
  );
}
