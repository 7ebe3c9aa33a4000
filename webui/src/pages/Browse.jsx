// A sandbox: the executor's directory (`#/agents/:a/frameworks/:f/executors/:e/browse`), any attached
// directory (`#/agents/:a/browse?path=...`), and a file followed page by page (`#/agents/:a/view?path=...`),
// all through the agent's /files endpoints; and the master's log (`#/log`) through the master's.
import { agent, agentBase } from '../api.js';
import { usePoll } from '../poll.js';
import { Status } from '../components.jsx';
import { bytes } from '../format.js';
import { executors, findAgent, useAgentState } from '../agentdata.js';
import { href } from '../router.js';
import { Pailer } from '../pailer.jsx';

function parent(path) {
  const i = path.replace(/\/$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : path.substring(0, i);
}

function name(path) {
  return path.replace(/\/$/, '').substring(path.replace(/\/$/, '').lastIndexOf('/') + 1);
}

const browseLink = (agentId, path, root) => `${href('agents', agentId, 'browse')}?path=${encodeURIComponent(path)}`
  + (root && root !== path ? `&root=${encodeURIComponent(root)}` : '');
export const viewLink = (agentId, path) => `${href('agents', agentId, 'view')}?path=${encodeURIComponent(path)}`;

/** Links to each directory from `root` (the sandbox) down to `path`. */
function Crumbs({ agentId, root, path }) {
  const crumbs = [];
  let p = path;
  while (p.length >= root.length && p !== '/') {
    crumbs.unshift(p);
    if (p === root) break;
    p = parent(p);
  }
  return (
    <p class="crumbs">
      {crumbs.map((c, i) => (
        <span key={c}>{i ? ' / ' : ''}<a href={browseLink(agentId, c, root)}>{i ? name(c) : c}</a></span>
      ))}
    </p>
  );
}

export function Listing({ agentId, path, root }) {
  const { data, error } = usePoll(async () => {
    const info = await findAgent(agentId);
    return { info, entries: await agent(info, '/files/browse', { path }) };
  }, [agentId, path], 5000);
  if (!data) return <Status error={error} loading />;
  const { info, entries } = data;
  return (
    <div class="page browse">
      <Status error={error} />
      <h1>Sandbox on agent <a href={href('agents', agentId)}>{agentId}</a></h1>
      <Crumbs agentId={agentId} root={root || path} path={path} />
      <table class="grid files" id="files">
        <thead><tr><th>Mode</th><th>Owner</th><th>Size</th><th>Modified</th><th>Name</th><th></th></tr></thead>
        <tbody>
          {entries.map((e) => {
            const dir = e.mode.startsWith('d');
            return (
              <tr key={e.path}>
                <td class="mono">{e.mode}</td><td>{e.uid}</td><td>{bytes(e.size)}</td>
                <td>{new Date(e.mtime * 1000).toLocaleString()}</td>
                <td class="file-name">
                  <a href={dir ? browseLink(agentId, e.path, root || path) : viewLink(agentId, e.path)}>{name(e.path)}{dir ? '/' : ''}</a>
                </td>
                <td>{dir ? null : <a href={`${agentBase(info)}/files/download?path=${encodeURIComponent(e.path)}`}>
                  Download</a>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {entries.length === 0 ? <p class="muted">Empty directory.</p> : null}
    </div>
  );
}

export function ExecutorBrowse({ agent_id: agentId, framework_id: frameworkId, executor_id: executorId }) {
  const { data, error } = useAgentState(agentId);
  if (!data) return <Status error={error} loading />;
  const executor = executors(data.state).find((e) => e.framework.id === frameworkId && e.id === executorId);
  if (!executor) return <p class="error">The agent does not know executor {executorId} of {frameworkId}.</p>;
  return <Listing agentId={agentId} path={executor.directory} root={executor.directory} />;
}

export function Browse({ agent_id: agentId, query }) {
  const path = query.get('path');
  if (!path) return <p class="error">No path to browse.</p>;
  return <Listing agentId={agentId} path={path} root={query.get('root') || path} />;
}

/** `#/log`: the master's own log (`/master/log` in its /files: `--log_dir` or `--external_log_file`). */
export function MasterLog() {
  return (
    <div class="page view">
      <h1>Master log <span class="muted small">/master/log</span></h1>
      <Pailer path="/master/log" />
    </div>
  );
}

export function View({ agent_id: agentId, query }) {
  const path = query.get('path');
  if (!path) return <p class="error">No file to show.</p>;
  return (
    <div class="page view">
      <h1>{name(path)} <span class="muted small">on agent <a href={href('agents', agentId)}>{agentId}</a></span></h1>
      <p class="crumbs"><a href={browseLink(agentId, parent(path))}>{parent(path)}</a> / {name(path)}</p>
      <Pailer agentId={agentId} path={path} />
    </div>
  );
}
