/**
 * The Mesos Java executor API ({@link org.apache.mesos.Executor}, {@link org.apache.mesos.ExecutorDriver},
 * {@link org.apache.mesos.MesosExecutorDriver}) with the official jar's names and signatures, implemented in
 * pure Java over the v1 executor HTTP API by {@link io.jmesos.executor.driver.HttpExecutorDriver}: no native
 * library is loaded. Existing executors link against this package unchanged.
 */
package org.apache.mesos;
