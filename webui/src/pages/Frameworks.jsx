// `#/frameworks`, `#/frameworks/:id` and a task's page (`#/frameworks/:id/tasks/:task_id`), from /state.
import { master } from '../api.js';
import { usePoll } from '../poll.js';
import { Fields, ResourceTable, Section, Status } from '../components.jsx';
import { executorOf, resources, taskState, time } from '../format.js';
import { TaskTable } from '../tasks.jsx';
import { href } from '../router.js';

function FrameworkTable({ title, frameworks }) {
  return (
    <Section title={title} count={frameworks.length}>
      {frameworks.length === 0 ? <p class="muted">None.</p> : (
        <table class="grid frameworks">
          <thead>
            <tr><th>ID</th><th>Name</th><th>User</th><th>Roles</th><th>Active tasks</th><th>Allocated</th>
              <th>Registered</th></tr>
          </thead>
          <tbody>
            {frameworks.map((f) => (
              <tr key={f.id} class={f.active ? '' : 'inactive'}>
                <td><a href={href('frameworks', f.id)}>{f.id}</a></td>
                <td>{f.name}</td><td>{f.user}</td><td>{(f.roles || [f.role]).join(', ')}</td>
                <td>{(f.tasks || []).length}</td><td>{resources(f.allocated_resources)}</td>
                <td>{time(f.reregistered_time || f.registered_time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

export function Frameworks() {
  const { data: state, error } = usePoll(() => master('/state'), []);
  if (!state) return <Status error={error} loading />;
  return (
    <div class="page frameworks">
      <Status error={error} />
      <FrameworkTable title="Active frameworks" frameworks={state.frameworks || []} />
      <FrameworkTable title="Completed frameworks" frameworks={state.completed_frameworks || []} />
    </div>
  );
}

function findFramework(state, id) {
  return [...(state.frameworks || []), ...(state.completed_frameworks || [])].find((f) => f.id === id);
}

export function Framework({ id }) {
  const { data: state, error } = usePoll(() => master('/state'), [id]);
  if (!state) return <Status error={error} loading />;
  const f = findFramework(state, id);
  if (!f) return <p class="error">The master does not know framework {id}.</p>;
  return (
    <div class="page framework">
      <Status error={error} />
      <h1>Framework <span id="framework-id">{f.id}</span></h1>
      <div class="columns">
        <Section title="Framework">
          <Fields rows={[['Name', f.name], ['User', f.user], ['Roles', (f.roles || [f.role]).join(', ')],
            ['Principal', f.principal || '-'], ['Active', String(f.active)], ['Connected', String(f.connected)],
            ['Host', f.hostname], ['Registered', time(f.registered_time)],
            ['Failover timeout', `${f.failover_timeout} s`],
            ['Web UI', f.webui_url ? <a href={f.webui_url}>{f.webui_url}</a> : '-']]} />
        </Section>
        <Section title="Resources">
          <ResourceTable columns={[['Used', f.used_resources], ['Offered', f.offered_resources],
            ['Allocated', f.allocated_resources]]} />
        </Section>
      </div>
      <TaskTable title="Active tasks" tasks={f.tasks || []} />
      <TaskTable title="Unreachable tasks" tasks={f.unreachable_tasks || []} />
      <TaskTable title="Completed tasks" tasks={f.completed_tasks || []} />
    </div>
  );
}

export function Task({ id, task_id: taskId }) {
  const { data: state, error } = usePoll(() => master('/state'), [id, taskId]);
  if (!state) return <Status error={error} loading />;
  const f = findFramework(state, id);
  const task = f && [...f.tasks, ...(f.unreachable_tasks || []), ...f.completed_tasks].find((t) => t.id === taskId);
  if (!task) return <p class="error">The master does not know task {taskId} of framework {id}.</p>;
  const statuses = task.statuses || [];
  return (
    <div class="page task">
      <Status error={error} />
      <h1>Task <span id="task-id">{task.id}</span></h1>
      <Fields rows={[['Name', task.name], ['State', <span id="task-state">{taskState(task.state)}</span>],
        ['Framework', <a href={href('frameworks', id)}>{f.name} ({id})</a>],
        ['Agent', <a href={href('agents', task.slave_id)}>{task.slave_id}</a>],
        ['Executor', executorOf(task)], ['Role', task.role || '-'], ['Resources', resources(task.resources)],
        ['Sandbox', <a href={href('agents', task.slave_id, 'frameworks', id, 'executors', executorOf(task),
          'browse')}>Browse</a>]]} />
      <Section title="Status history" count={statuses.length}>
        <table class="grid statuses">
          <thead><tr><th>State</th><th>Time</th><th>Healthy</th></tr></thead>
          <tbody>
            {statuses.map((s, i) => (
              <tr key={i}>
                <td>{taskState(s.state)}</td><td>{time(s.timestamp)}</td>
                <td>{s.healthy === undefined ? '-' : String(s.healthy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
