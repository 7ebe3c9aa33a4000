// Shows a file an agent (a sandbox file, its log) or the master (its log) serves under /files and follows it
// as it grows, through /files/read's offset and length paging (as Mesos' pailer): the last window first,
// earlier pages on demand, new data every second.
import { useEffect, useRef, useState } from 'preact/hooks';
import { agent, master } from './api.js';
import { findAgent } from './agentdata.js';
import { bytes } from './format.js';

/** /files/read returns at most 16 pages of 4 KiB at a time. */
export const PAGE = 16 * 4096;
const FOLLOW_MS = 1000;
const encoder = new TextEncoder();

/** Follows `path` on the agent `agentId`, or on the master when `agentId` is not given. */
export function Pailer({ agentId, path }) {
  const [view, setView] = useState({ text: '', start: 0, end: 0, size: 0, error: null, loaded: false });
  const [follow, setFollow] = useState(true);
  const followRef = useRef(true);
  followRef.current = follow;
  const pre = useRef(null);
  const info = useRef(null);
  const position = useRef({ start: 0, end: 0 });

  const read = async (offset, length) => {
    if (!agentId) return master(`/files/read?${new URLSearchParams({ path, offset, length })}`);
    if (!info.current) info.current = await findAgent(agentId);
    return agent(info.current, '/files/read', { path, offset, length });
  };

  // Reads whatever was appended since `end`, page by page.
  const catchUp = async () => {
    for (;;) {
      const chunk = await read(position.current.end, PAGE);
      const size = encoder.encode(chunk.data).length;
      if (size === 0) return;
      position.current.end = chunk.offset + size;
      setView((v) => ({ ...v, text: v.text + chunk.data, end: position.current.end, error: null, loaded: true }));
      if (size < PAGE) return;
    }
  };

  useEffect(() => {
    let live = true;
    let timer = null;
    let initialised = false;
    info.current = null;
    setView({ text: '', start: 0, end: 0, size: 0, error: null, loaded: false });
    const run = async () => {
      try {
        if (!initialised) {
          const end = await read(-1, -1);
          const from = Math.max(0, end.offset - PAGE);
          position.current = { start: from, end: from };
          setView((v) => ({ ...v, start: from, end: from, size: end.offset, loaded: true }));
          initialised = true;
          await catchUp();
        } else if (followRef.current) {
          await catchUp();
        }
      } catch (error) {
        if (live) setView((v) => ({ ...v, error }));
      }
      if (live) timer = setTimeout(run, FOLLOW_MS);
    };
    run();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [agentId, path]);

  useEffect(() => {
    if (follow && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [view.text, follow]);

  const earlier = async () => {
    const to = position.current.start;
    const from = Math.max(0, to - PAGE);
    try {
      const chunk = await read(from, to - from);
      position.current.start = from;
      setView((v) => ({ ...v, text: chunk.data + v.text, start: from }));
    } catch (error) {
      setView((v) => ({ ...v, error }));
    }
  };

  return (
    <div class="pailer">
      <div class="pailer-bar">
        <button type="button" disabled={view.start === 0} onClick={earlier}>Load earlier</button>
        <label><input type="checkbox" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} />
          Follow</label>
        <span class="muted">bytes {view.start}-{view.end} ({bytes(view.end - view.start)} shown)</span>
        {view.error ? <span class="error">{String(view.error.message || view.error)}</span> : null}
      </div>
      <pre ref={pre} id="file-content" class="file-content">{view.loaded ? view.text : 'Loading...'}</pre>
    </div>
  );
}
