/**
 * The master's HTTP edge: the v1 scheduler API ({@code POST /api/v1/scheduler}), the v1 operator API ({@code
 * POST /api/v1}: read-only calls built by {@code OperatorCalls} from the master's state) and the classic JSON
 * endpoints ({@code /state}, {@code /metrics/snapshot}, {@code /health}, {@code /redirect}). Handlers are
 * called on Netty I/O threads: they only check method and media types, decode and validate statelessly, then
 * enqueue onto the master's actor, which answers through the responder (500 if the handler throws there, see
 * {@code OnActor}). JSON documents follow the shapes of
 * Mesos 1.11's endpoints. Each subscription's event stream passes through a {@code SchedulerTap} (the
 * fault-injection seam of tests; none in production).
 */
package io.jmesos.master.http;
