// `#/agents/:agent_id` and its framework and executor pages, from the agent's own /state.
import { Fields, ResourceTable, Section, Status } from '../components.jsx';
import { resources, taskState, time } from '../format.js';
import { executors, useAgentState } from '../agentdata.js';
import { href } from '../router.js';
import { viewLink } from './Browse.jsx';

function ExecutorTable({ agentId, list }) {
  if (!list.length) return <p class="muted">No executors.</p>;
  return (
    <table class="grid executors">
      <thead>
        <tr><th>ID</th><th>Name</th><th>Framework</th><th>Tasks</th><th>Resources</th><th></th></tr>
      </thead>
      <tbody>
        {list.map((e) => (
          <tr key={`${e.framework.id}/${e.id}`} class={e.completed ? 'completed' : ''}>
            <td><a href={href('agents', agentId, 'frameworks', e.framework.id, 'executors', e.id)}>{e.id}</a></td>
            <td>{e.name}</td>
            <td><a href={href('agents', agentId, 'frameworks', e.framework.id)}>{e.framework.name}</a></td>
            <td>{(e.tasks || []).length} active, {(e.completed_tasks || []).length} completed</td>
            <td>{resources(e.resources)}</td>
            <td><a href={href('agents', agentId, 'frameworks', e.framework.id, 'executors', e.id, 'browse')}>
              Sandbox</a></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Agent({ agent_id: agentId }) {
  const { data, error } = useAgentState(agentId);
  if (!data) return <Status error={error} loading />;
  const { info, state } = data;
  const frameworks = [...(state.frameworks || []), ...(state.completed_frameworks || [])];
  return (
    <div class="page agent">
      <Status error={error} />
      <h1>Agent <span id="agent-id">{state.id}</span></h1>
      <div class="columns">
        <Section title="Agent">
          <Fields rows={[['Host', state.hostname], ['PID', state.pid], ['Version', state.version],
            ['Started', time(state.start_time)], ['Status', info.active ? 'active' : 'inactive'],
            ['Log', state.log_dir || state.external_log_file
              ? <a id="agent-log" href={viewLink(agentId, '/slave/log')}>/slave/log</a>
              : <span class="muted">none (no --log_dir)</span>]]} />
        </Section>
        <Section title="Resources">
          <ResourceTable columns={[['Used', info.used_resources], ['Offered', info.offered_resources],
            ['Total', state.resources]]} />
        </Section>
      </div>
      <Section title="Frameworks" count={frameworks.length}>
        <table class="grid frameworks">
          <thead><tr><th>ID</th><th>Name</th><th>User</th><th>Executors</th></tr></thead>
          <tbody>
            {frameworks.map((f) => (
              <tr key={f.id}>
                <td><a href={href('agents', agentId, 'frameworks', f.id)}>{f.id}</a></td>
                <td>{f.name}</td><td>{f.user}</td><td>{(f.executors || []).length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Executors"><ExecutorTable agentId={agentId} list={executors(state)} /></Section>
    </div>
  );
}

export function AgentFramework({ agent_id: agentId, framework_id: frameworkId }) {
  const { data, error } = useAgentState(agentId);
  if (!data) return <Status error={error} loading />;
  const list = executors(data.state).filter((e) => e.framework.id === frameworkId);
  const framework = list.length ? list[0].framework : null;
  return (
    <div class="page agent-framework">
      <Status error={error} />
      <h1>Framework <a href={href('frameworks', frameworkId)}>{frameworkId}</a> on agent{' '}
        <a href={href('agents', agentId)}>{agentId}</a></h1>
      {framework ? <Fields rows={[['Name', framework.name], ['User', framework.user],
        ['Role', framework.role]]} /> : <p class="muted">The agent runs nothing of this framework.</p>}
      <Section title="Executors"><ExecutorTable agentId={agentId} list={list} /></Section>
    </div>
  );
}

function TaskList({ tasks }) {
  if (!tasks.length) return <p class="muted">None.</p>;
  return (
    <table class="grid">
      <thead><tr><th>ID</th><th>Name</th><th>State</th><th>Resources</th></tr></thead>
      <tbody>
        {tasks.map((t) => (
          <tr key={t.id}>
            <td><a href={href('frameworks', t.framework_id, 'tasks', t.id)}>{t.id}</a></td>
            <td>{t.name}</td><td>{taskState(t.state)}</td><td>{resources(t.resources)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AgentExecutor({ agent_id: agentId, framework_id: frameworkId, executor_id: executorId }) {
  const { data, error } = useAgentState(agentId);
  if (!data) return <Status error={error} loading />;
  const executor = executors(data.state).find((e) => e.framework.id === frameworkId && e.id === executorId);
  if (!executor) return <p class="error">The agent does not know executor {executorId} of {frameworkId}.</p>;
  return (
    <div class="page agent-executor">
      <Status error={error} />
      <h1>Executor {executor.id}</h1>
      <Fields rows={[['Name', executor.name], ['Framework', executor.framework.name],
        ['Agent', <a href={href('agents', agentId)}>{agentId}</a>], ['Container', executor.container],
        ['Directory', executor.directory], ['Resources', resources(executor.resources)],
        ['Sandbox', <a href={href('agents', agentId, 'frameworks', frameworkId, 'executors', executorId, 'browse')}>
          Browse</a>]]} />
      <Section title="Tasks"><TaskList tasks={executor.tasks || []} /></Section>
      <Section title="Queued tasks"><TaskList tasks={executor.queued_tasks || []} /></Section>
      <Section title="Completed tasks"><TaskList tasks={executor.completed_tasks || []} /></Section>
    </div>
  );
}
