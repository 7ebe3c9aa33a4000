/**
 * The Mesos Java scheduler API ({@link org.apache.mesos.Scheduler}, {@link org.apache.mesos.SchedulerDriver},
 * {@link org.apache.mesos.MesosSchedulerDriver}) with the names, signatures and semantics of the
 * {@code org.apache.mesos:mesos} jar, so framework code compiled against that jar runs unchanged. The
 * driver is pure Java: instead of JNI and libprocess it speaks the v1 scheduler HTTP API to the master.
 * The facade only tracks the driver status and enqueues; the work happens in
 * {@link io.jmesos.scheduler.SchedulerProcess} on one driver thread.
 */
package org.apache.mesos;
