// Unit tests of the UI's pure functions: `npm test` (node's test runner, no browser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { match } from '../src/router.js';
import { matches } from '../src/taskfilter.js';
import { executorOf, megabytes, sum, taskState } from '../src/format.js';

const ROUTES = [['/', 'home'], ['/agents/:agent_id', 'agent'],
  ['/agents/:agent_id/frameworks/:framework_id/executors/:executor_id/browse', 'browse']];

test('routes match with decoded parameters, first match wins, empty segments never match', () => {
  assert.deepEqual(match(ROUTES, '/'), { component: 'home', params: {} });
  assert.deepEqual(match(ROUTES, '/agents/a%2Fb'), { component: 'agent', params: { agent_id: 'a/b' } });
  assert.deepEqual(match(ROUTES, '/agents/S0/frameworks/F/executors/E/browse').params,
    { agent_id: 'S0', framework_id: 'F', executor_id: 'E' });
  assert.equal(match(ROUTES, '/agents/'), null);
  assert.equal(match(ROUTES, '/nothing'), null);
});

test('the task filter matches id, name, state, agent and framework, ignoring case', () => {
  const task = { id: 'web-1', name: 'Server', state: 'TASK_RUNNING', slave_id: 'S0', framework_id: 'F-0000' };
  for (const needle of ['', 'WEB', 'server', 'running', 's0', 'f-00']) {
    assert.ok(matches(task, needle), needle);
  }
  assert.ok(!matches(task, 'finished'));
});

test('formats', () => {
  assert.equal(taskState('TASK_KILLED'), 'KILLED');
  assert.equal(executorOf({ id: 't', executor_id: '' }), 't');
  assert.equal(executorOf({ id: 't', executor_id: 'e' }), 'e');
  assert.equal(megabytes(1536), '1.5 GB');
  assert.deepEqual(sum([{ r: { cpus: 1, mem: 2 } }, { r: { cpus: 0.5, disk: 3 } }], (x) => x.r),
    { cpus: 1.5, mem: 2, disk: 3, gpus: 0 });
});
