package org.apache.mesos.v1.scheduler;

import io.jmesos.protocol.Evolve;
import io.jmesos.scheduler.DriverOptions;
import io.jmesos.scheduler.v1.SchedulerCallbacks;
import io.jmesos.scheduler.v1.V0ToV1Adapter;
import java.util.List;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.v1.Protos.Credential;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * A {@link Mesos} over the v0 {@link MesosSchedulerDriver}, in pure Java: a drop-in for the JNI class of the
 * {@code org.apache.mesos:mesos} jar. It starts a driver for {@code framework} at once, with explicit
 * acknowledgements (and {@code credential}, if not null), and adapts it as Mesos' {@code V0ToV1Adapter} does
 * ({@link V0ToV1Adapter}): the scheduler hears {@code connected} once the driver has registered and receives
 * SUBSCRIBED after it sends SUBSCRIBE; calls become driver methods and driver callbacks become events.
 *
 * <p>A master value the driver cannot use reaches the scheduler as an ERROR event, after {@code connected}.
 * Unlike the JNI class, nothing happens when the object is garbage collected; TEARDOWN stops the driver.
 *
 * <p>Threading: thread-safe; callbacks run one at a time on the adapter's callback thread.
 */
public class V0Mesos implements Mesos {
  private final Scheduler scheduler;
  private final FrameworkInfo framework;
  private final String master;
  private final Credential credential;
  private final DriverOptions options;
  private volatile V0ToV1Adapter adapter;
  private volatile MesosSchedulerDriver driver;

  /** A driver-backed library for {@code scheduler}, registering {@code framework} with {@code master}. */
  public V0Mesos(Scheduler scheduler, FrameworkInfo framework, String master) {
    this(scheduler, framework, master, null);
  }

  /** As {@link #V0Mesos(Scheduler, FrameworkInfo, String)}, authenticating with {@code credential} if not null. */
  public V0Mesos(Scheduler scheduler, FrameworkInfo framework, String master, Credential credential) {
    this(scheduler, framework, master, credential, DriverOptions.defaults());
  }

  /** jmesos: with {@link DriverOptions} for the driver and the adapter (tests give a clock and a detector). */
  V0Mesos(Scheduler scheduler, FrameworkInfo framework, String master, Credential credential,
      DriverOptions options) {
    if (scheduler == null) {
      throw new NullPointerException("Not expecting a null scheduler");
    }
    if (framework == null) {
      throw new NullPointerException("Not expecting a null framework");
    }
    if (master == null) {
      throw new NullPointerException("Not expecting a null master");
    }
    this.scheduler = scheduler;
    this.framework = framework;
    this.master = master;
    this.credential = credential;
    this.options = options;
    initialize();
  }

  @Override
  public void send(Call call) {
    adapter.send(call);
  }

  /** Does nothing: the v0 driver has no way to force a reconnection. */
  @Override
  public void reconnect() {
  }

  /** Starts the adapter and its driver; the constructor calls it (in the Mesos jar it creates the native part). */
  protected void initialize() {
    V0ToV1Adapter a = new V0ToV1Adapter(options.clock());
    org.apache.mesos.Protos.FrameworkInfo v0 =
        Evolve.devolvePartial(framework, org.apache.mesos.Protos.FrameworkInfo.parser());
    org.apache.mesos.Protos.Credential v0Credential = credential == null ? null
        : Evolve.devolvePartial(credential, org.apache.mesos.Protos.Credential.parser());
    MesosSchedulerDriver d = new MesosSchedulerDriver(a, v0, List.of(), master, false, v0Credential, options);
    a.attach(d, new SchedulerCallbacks(a.name(), options.clock(), scheduler, this, () -> {
      d.abort();
      a.close();
    }));
    adapter = a;
    driver = d;
    d.start();
  }

  /** jmesos, for tests: stops the driver (without tearing the framework down) and the adapter. */
  void close() {
    MesosSchedulerDriver d = driver;
    if (d != null) {
      d.stop(true);
    }
    V0ToV1Adapter a = adapter;
    if (a != null) {
      a.close();
    }
  }
}
