// A table of tasks with a filter box (beyond Mesos' UI): matches id, name, state, agent or framework.
import { useState } from 'preact/hooks';
import { href } from './router.js';
import { executorOf, taskState, time } from './format.js';
import { matches } from './taskfilter.js';

function lastUpdate(task) {
  const statuses = task.statuses || [];
  return statuses.length ? statuses[statuses.length - 1].timestamp : null;
}

export function TaskTable({ tasks, title, showFramework = false, empty = 'No tasks.' }) {
  const [filter, setFilter] = useState('');
  const shown = tasks.filter((t) => matches(t, filter));
  return (
    <section class="tasks">
      <h2>
        {title}<span class="count">{tasks.length}</span>
        <input class="filter" type="search" placeholder="Filter tasks" value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)} />
      </h2>
      {shown.length === 0 ? <p class="muted">{tasks.length ? 'No task matches the filter.' : empty}</p> : (
        <table class="grid">
          <thead>
            <tr>
              <th>ID</th><th>Name</th><th>State</th>{showFramework ? <th>Framework</th> : null}
              <th>Agent</th><th>Last update</th><th></th>
            </tr>
          </thead>
          <tbody>
            {shown.map((t) => (
              <tr key={`${t.framework_id}/${t.id}`} class="task-row">
                <td><a href={href('frameworks', t.framework_id, 'tasks', t.id)}>{t.id}</a></td>
                <td>{t.name}</td>
                <td><span class={`state ${taskState(t.state).toLowerCase()}`}>{taskState(t.state)}</span></td>
                {showFramework ? <td><a href={href('frameworks', t.framework_id)}>{t.framework_id}</a></td> : null}
                <td><a href={href('agents', t.slave_id)}>{t.slave_id}</a></td>
                <td>{time(lastUpdate(t))}</td>
                <td>
                  <a href={href('agents', t.slave_id, 'frameworks', t.framework_id, 'executors', executorOf(t),
                    'browse')}>Sandbox</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
