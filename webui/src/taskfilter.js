// The task filter (beyond Mesos' UI): a task matches when its id, name, state, agent or framework contains the
// text, ignoring case.
import { taskState } from './format.js';

export function matches(task, filter) {
  if (!filter) return true;
  const needle = filter.toLowerCase();
  return [task.id, task.name, task.state, taskState(task.state), task.slave_id, task.framework_id]
    .some((v) => (v || '').toLowerCase().includes(needle));
}
