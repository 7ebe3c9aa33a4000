/**
 * Networking on Netty: {@link io.jmesos.transport.MesosServer} gives each daemon one port that serves both
 * HTTP and the internal master/agent protocol (a {@code JMI1} preamble, then varint-framed
 * {@code Envelope}s), with limits on bodies and frames and a clear 400 for anything else.
 * {@link io.jmesos.transport.MessageClient} opens the agent's side of the internal connection. I/O threads
 * only frame, decode and hand over; owners enqueue onto their actors.
 */
package io.jmesos.transport;
