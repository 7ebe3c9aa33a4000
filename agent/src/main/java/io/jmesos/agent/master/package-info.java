/**
 * The agent's link to the master over the internal protocol: registration and re-registration with backoff,
 * ping/pong health checks, and detection of a lost master. A reconnect is always a re-registration, since
 * the master tells agents apart by id, never by connection.
 */
package io.jmesos.agent.master;
