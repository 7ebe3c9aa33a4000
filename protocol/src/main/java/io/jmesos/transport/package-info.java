/**
 * Networking on Netty: {@link io.jmesos.transport.MesosServer} gives each daemon one port that serves both
 * HTTP and the internal master/agent protocol (a {@code JMI1} preamble, then varint-framed
 * {@code Envelope}s), with a clear 400 for anything else. What a peer may send, how slowly, and how much it may
 * leave unread is bounded ({@link io.jmesos.transport.Limits}; docs/security.md, "Hardened inputs").
 * {@link io.jmesos.transport.MessageClient} opens the agent's side of the internal connection. I/O threads
 * only frame, decode and hand over; owners enqueue onto their actors. A {@link io.jmesos.transport.MessageTap}
 * given to the server or the client sees every envelope read or written and may drop, hold or repeat it:
 * the seam for fault-injection tests; production passes {@code MessageTap.NONE}, which is bypassed.
 */
package io.jmesos.transport;
