/**
 * The machinery behind Mesos' v1 Java scheduler API ({@code org.apache.mesos.v1.scheduler}).
 * {@link io.jmesos.scheduler.v1.MesosProcess} is Mesos' v1 scheduler library on one actor: it follows the leading
 * master, connects, carries SUBSCRIBE and the event stream on its connection (a shared
 * {@link io.jmesos.scheduler.Subscription}) and the other calls in order with the stream id (a shared
 * {@link io.jmesos.scheduler.CallQueue}). {@link io.jmesos.scheduler.v1.V0ToV1Adapter} (events) and
 * {@link io.jmesos.scheduler.v1.V0Calls} (calls) put the same interface over the v0 driver. Either way the
 * scheduler's callbacks run one at a time on the thread of a {@link io.jmesos.scheduler.v1.SchedulerCallbacks}.
 */
package io.jmesos.scheduler.v1;
