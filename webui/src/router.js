// Hash routing with Mesos' UI routes (`#/agents/:agent_id`, ...), so bookmarks carry over.
import { useEffect, useState } from 'preact/hooks';

/** The current hash route: its path and its query parameters (`#/agents/x/browse?path=/tmp`). */
export function currentRoute() {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const q = hash.indexOf('?');
  const path = q >= 0 ? hash.substring(0, q) : hash;
  const query = new URLSearchParams(q >= 0 ? hash.substring(q + 1) : '');
  return { path: path.length > 1 ? path.replace(/\/$/, '') : path, query };
}

export function useRoute() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/**
 * Matches `path` against `routes` ([pattern, component] pairs, patterns like `/agents/:agent_id`), first
 * match wins; returns the component and its decoded parameters, or null.
 */
export function match(routes, path) {
  const parts = path.split('/');
  for (const [pattern, component] of routes) {
    const want = pattern.split('/');
    if (want.length !== parts.length) {
      continue;
    }
    const params = {};
    const ok = want.every((w, i) => {
      if (w.startsWith(':')) {
        params[w.substring(1)] = decodeURIComponent(parts[i]);
        return parts[i].length > 0;
      }
      return w === parts[i];
    });
    if (ok) {
      return { component, params };
    }
  }
  return null;
}

/** A hash link to a route built from path segments, each encoded. */
export function href(...segments) {
  return '#/' + segments.map((s) => encodeURIComponent(s)).join('/');
}
