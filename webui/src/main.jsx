// The jmesos master's web UI: a single page with Mesos' hash routes.
import { render } from 'preact';
import { currentRoute, match, useRoute } from './router.js';
import { startMetrics } from './metrics.js';
import { Home } from './pages/Home.jsx';
import { Agents } from './pages/Agents.jsx';
import { Agent, AgentExecutor, AgentFramework } from './pages/Agent.jsx';
import { Framework, Frameworks, Task } from './pages/Frameworks.jsx';
import { Offers, Roles } from './pages/Offers.jsx';
import { Browse, ExecutorBrowse, MasterLog, View } from './pages/Browse.jsx';
import './style.css';

const ROUTES = [
  ['/', Home],
  ['/agents', Agents],
  ['/agents/:agent_id', Agent],
  ['/agents/:agent_id/browse', Browse],
  ['/agents/:agent_id/view', View],
  ['/agents/:agent_id/frameworks/:framework_id', AgentFramework],
  ['/agents/:agent_id/frameworks/:framework_id/executors/:executor_id', AgentExecutor],
  ['/agents/:agent_id/frameworks/:framework_id/executors/:executor_id/browse', ExecutorBrowse],
  ['/agents/:agent_id/frameworks/:framework_id/executors/:executor_id/tasks/:task_id/browse', ExecutorBrowse],
  ['/frameworks', Frameworks],
  ['/frameworks/:id', Framework],
  ['/frameworks/:id/tasks/:task_id', Task],
  ['/offers', Offers],
  ['/roles', Roles],
  ['/log', MasterLog],
];

const NAV = [['/', 'Summary'], ['/agents', 'Agents'], ['/frameworks', 'Frameworks'], ['/offers', 'Offers'],
  ['/roles', 'Roles']];

/** Mesos' old `/slaves/...` routes lead to `/agents/...`; anything unknown to the summary. */
function redirect(path) {
  if (path === '/slaves' || path.startsWith('/slaves/')) return '/agents' + path.substring('/slaves'.length);
  return '/';
}

function App() {
  const route = useRoute();
  const found = match(ROUTES, route.path);
  if (!found) {
    const q = route.query.toString();
    window.location.replace(`#${redirect(route.path)}${q ? `?${q}` : ''}`);
    return null;
  }
  const Page = found.component;
  const section = '/' + route.path.split('/')[1];
  return (
    <>
      <header>
        <a class="brand" href="#/">jmesos</a>
        <nav>
          {NAV.map(([path, label]) => (
            <a key={path} href={`#${path}`} class={section === path ? 'active' : ''}>{label}</a>
          ))}
        </nav>
      </header>
      <main key={route.path + '?' + route.query.toString()}>
        <Page {...found.params} query={route.query} />
      </main>
    </>
  );
}

startMetrics();
if (!match(ROUTES, currentRoute().path)) {
  window.location.replace(`#${redirect(currentRoute().path)}`);
}
render(<App />, document.getElementById('app'));
