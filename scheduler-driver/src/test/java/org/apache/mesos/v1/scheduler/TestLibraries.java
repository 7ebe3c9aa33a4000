package org.apache.mesos.v1.scheduler;

import io.jmesos.scheduler.DriverOptions;
import org.apache.mesos.v1.Protos.Credential;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/** Reaches the package-private test hooks of {@link V1Mesos} and {@link V0Mesos} from tests elsewhere. */
public final class TestLibraries {
  private TestLibraries() {}

  public static V1Mesos v1(Scheduler scheduler, String master, Credential credential, DriverOptions options) {
    return new V1Mesos(scheduler, master, credential, options);
  }

  public static V0Mesos v0(Scheduler scheduler, FrameworkInfo framework, String master, Credential credential,
      DriverOptions options) {
    return new V0Mesos(scheduler, framework, master, credential, options);
  }

  /** Stops a library made here or by a public constructor; no callback follows. */
  public static void close(Mesos mesos) {
    if (mesos instanceof V1Mesos) {
      ((V1Mesos) mesos).close();
    } else if (mesos instanceof V0Mesos) {
      ((V0Mesos) mesos).close();
    }
  }
}
