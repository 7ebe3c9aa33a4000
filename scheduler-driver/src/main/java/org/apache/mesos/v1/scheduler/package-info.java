/**
 * Mesos' v1 Java scheduler API, as in the {@code org.apache.mesos:mesos} jar but in pure Java: a
 * {@link org.apache.mesos.v1.scheduler.Scheduler} talks to the master through a
 * {@link org.apache.mesos.v1.scheduler.Mesos}, either {@link org.apache.mesos.v1.scheduler.V1Mesos} (the v1
 * scheduler HTTP API, machinery in {@code io.jmesos.scheduler.v1.MesosProcess}) or
 * {@link org.apache.mesos.v1.scheduler.V0Mesos} (the v0 {@link org.apache.mesos.MesosSchedulerDriver} behind an
 * adapter, {@code io.jmesos.scheduler.v1.V0ToV1Adapter}). The generated {@code Protos} of this package come from
 * the protocol module.
 */
package org.apache.mesos.v1.scheduler;
