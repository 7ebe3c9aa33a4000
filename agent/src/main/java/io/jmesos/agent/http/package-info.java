/**
 * The agent's HTTP surface: the v1 executor API ({@code POST /api/v1/executor}, RecordIO event streams in
 * JSON or protobuf), the v1 operator API ({@code POST /api/v1}: state-reading calls answered with a
 * {@code mesos.v1.agent.Response}) and the classic read-only endpoints {@code /state}, {@code /metrics/snapshot} and
 * {@code /health}. Handlers run on Netty I/O threads, decode and validate there, and enqueue onto the
 * agent's actor; documents are built on the actor.
 */
package io.jmesos.agent.http;
