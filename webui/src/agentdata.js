// An agent's own view: its entry in the master's /state (for its address), then its /state over JSONP.
import { agent, master } from './api.js';
import { usePoll } from './poll.js';

export async function findAgent(agentId) {
  const state = await master('/state');
  const info = (state.slaves || []).find((a) => a.id === agentId);
  if (!info) {
    throw new Error(`Agent ${agentId} is not registered with the master (it may be unreachable or gone)`);
  }
  return info;
}

/** Polls `{info, state}` of an agent every 5 seconds. */
export function useAgentState(agentId) {
  return usePoll(async () => {
    const info = await findAgent(agentId);
    return { info, state: await agent(info, '/state') };
  }, [agentId], 5000);
}

/** Every executor an agent's /state shows (live and completed), with its framework. */
export function executors(state) {
  const out = [];
  const add = (framework, list, completed) => (list || []).forEach((e) => out.push({ ...e, framework, completed }));
  [...(state.frameworks || []), ...(state.completed_frameworks || [])].forEach((f) => {
    add(f, f.executors, false);
    add(f, f.completed_executors, true);
  });
  return out;
}
