/**
 * The agent's attached files, as Mesos' {@code Files} process: a map from virtual paths (a sandbox's own
 * path, {@code /frameworks/<fid>/executors/<eid>/runs/latest}) to real directories or files, and the
 * resolution of a requested path against it that never leaves an attached directory. The {@code /files/*}
 * endpoints ({@code io.jmesos.agent.http.FilesEndpoints}) read through it.
 */
package io.jmesos.agent.files;
