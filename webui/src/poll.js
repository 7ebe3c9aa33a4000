// Polling hooks: a page re-reads its data every few seconds while it is shown.
import { useEffect, useState } from 'preact/hooks';

export const POLL_MS = 2000;

/**
 * Calls `load` now and every `intervalMs` (0: once) while mounted and while `deps` are unchanged; returns
 * `{data, error}`, the last good data being kept when a later poll fails.
 */
export function usePoll(load, deps, intervalMs = POLL_MS) {
  const [state, setState] = useState({ data: null, error: null });
  useEffect(() => {
    let live = true;
    let timer = null;
    const tick = async () => {
      try {
        const data = await load();
        if (live) {
          setState({ data, error: null });
        }
      } catch (error) {
        if (live) {
          setState((previous) => ({ data: previous.data, error }));
        }
      }
      if (live && intervalMs > 0) {
        timer = setTimeout(tick, intervalMs);
      }
    };
    setState({ data: null, error: null });
    tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, deps);
  return state;
}
