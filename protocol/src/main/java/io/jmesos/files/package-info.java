/**
 * Mesos' {@code Files} process, shared by the master and the agent: a map from virtual paths (a sandbox's own
 * path, {@code /frameworks/<fid>/executors/<eid>/runs/latest}, {@code /slave/log}, {@code /master/log}) to real
 * directories or files, the resolution of a requested path against it that never leaves an attached directory,
 * and the {@code /files/*} endpoints ({@link io.jmesos.files.FilesEndpoints}) that read through it.
 */
package io.jmesos.files;
