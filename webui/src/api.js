// Data access: the master's endpoints are same-origin (fetch); an agent's are on another origin, reached
// with JSONP (`?jsonp=callback`), as Mesos' own UI does.

const TIMEOUT_MS = 10000;
let jsonpCounter = 0;

/** GETs a master endpoint (same origin) as JSON. */
export async function master(path) {
  const response = await fetch(path, { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`${path}: HTTP ${response.status}`);
  }
  return response.json();
}

/** Loads `url` with a `jsonp` callback parameter; resolves with the value the script passes to it. */
export function jsonp(url) {
  return new Promise((resolve, reject) => {
    const name = `jmesosJsonp${Date.now().toString(36)}${jsonpCounter++}`;
    const script = document.createElement('script');
    const cleanup = () => {
      clearTimeout(timer);
      delete window[name];
      script.remove();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`No answer from ${url}`));
    }, TIMEOUT_MS);
    window[name] = (value) => {
      cleanup();
      resolve(value);
    };
    script.onerror = () => {
      cleanup();
      reject(new Error(`Cannot load ${url}`));
    };
    script.src = url + (url.includes('?') ? '&' : '?') + 'jsonp=' + name;
    document.head.appendChild(script);
  });
}

/** The base URL of an agent, from its pid in the master's /state (`slave(1)@host:port`). */
export function agentBase(agent) {
  const at = agent.pid.lastIndexOf('@');
  const address = at >= 0 ? agent.pid.substring(at + 1) : `${agent.hostname}:${agent.port}`;
  return `${window.location.protocol}//${address}`;
}

/** An agent endpoint over JSONP: `path` is e.g. `/state` or `/files/browse`, `params` its query. */
export function agent(agentInfo, path, params = {}) {
  const query = new URLSearchParams(params).toString();
  return jsonp(agentBase(agentInfo) + path + (query ? `?${query}` : ''));
}
