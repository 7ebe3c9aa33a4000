package org.apache.mesos.v1.scheduler;

import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * The v1 scheduler library as a {@link Scheduler} sees it: the way to talk to the Mesos master. Implemented by
 * {@link V1Mesos} (the v1 scheduler HTTP API) and {@link V0Mesos} (the same interface over the v0 driver).
 */
public interface Mesos {
  /**
   * Sends {@code call} to the master. Only meaningful once the scheduler has heard {@link Scheduler#connected}:
   * a call made while disconnected is dropped, and so is any call but SUBSCRIBE until the scheduler has
   * subscribed. A call that fails local validation is dropped too, and may make the library inject an event
   * without the master ever seeing the call.
   */
  void send(Call call);

  /**
   * Drops the connection with the master and connects anew, e.g. when the scheduler has missed several
   * heartbeats and suspects a one-way network partition. The scheduler then hears {@link Scheduler#disconnected}
   * followed by {@link Scheduler#connected}. Ignored while the library is disconnected (e.g. no master is
   * elected).
   */
  void reconnect();
}
