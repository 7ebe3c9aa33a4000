/**
 * The master daemon. {@link io.jmesos.master.Master} wires one actor, the allocator and one {@link
 * io.jmesos.transport.MesosServer} port (HTTP and the internal agent protocol); {@link
 * io.jmesos.master.MasterMain} is the command-line entry point. Behaviour lives in {@code core}, bookkeeping in
 * {@code state}, request checks in {@code validation}, the HTTP edge in {@code http}, configuration in {@code
 * flags}, leadership (standalone or through ZooKeeper with {@code --zk}) in {@code election}.
 */
package io.jmesos.master;
