package org.apache.mesos.v1.scheduler;

import io.jmesos.detector.MasterDetector;
import io.jmesos.http.HttpResponse;
import io.jmesos.scheduler.Authorization;
import io.jmesos.scheduler.DriverOptions;
import io.jmesos.scheduler.v1.LibraryFlags;
import io.jmesos.scheduler.v1.MesosProcess;
import io.jmesos.scheduler.v1.SchedulerCallbacks;
import io.jmesos.zookeeper.MasterDetectors;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.mesos.v1.Protos.Credential;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Mesos} over the v1 scheduler HTTP API, in pure Java: a drop-in for the JNI class of the
 * {@code org.apache.mesos:mesos} jar. It starts at once: it detects the leading master, connects, and tells the
 * {@link Scheduler} {@code connected}; the scheduler then sends SUBSCRIBE and {@code received} gets every event of
 * the subscription. See {@link io.jmesos.scheduler.v1.MesosProcess} for what happens to calls and connections.
 *
 * <p>The master is {@code host:port}, {@code http://host:port}, {@code zk://[user:password@]host:port,.../path}
 * or {@code file:///path} (a file holding one of those). A value that is none of those makes the constructor
 * throw (Mesos' library exits the process). With a {@link Credential} every request carries an HTTP Basic
 * {@code Authorization} header of its principal and secret. {@code MESOS_CONNECTION_DELAY_MAX} is honoured.
 *
 * <p>Unlike the JNI class, nothing happens when the object is garbage collected: the library runs until the JVM
 * exits (its threads are daemons). A TEARDOWN sent through {@link #send} waits, as Mesos' does, for the master's
 * answer (at most ten minutes) before returning.
 *
 * <p>Threading: thread-safe; callbacks run one at a time on the library's callback thread.
 */
public class V1Mesos implements Mesos {
  private static final Logger LOG = LoggerFactory.getLogger(V1Mesos.class);
  /** How long a TEARDOWN sent through {@link #send} waits for the master's answer, as in Mesos. */
  private static final Duration TEARDOWN_TIMEOUT = Duration.ofMinutes(10);

  private final Scheduler scheduler;
  private final String master;
  private final Credential credential;
  private final DriverOptions options;
  private volatile MesosProcess process;

  /** A library for {@code scheduler} with the master at {@code master}, without credential. */
  public V1Mesos(Scheduler scheduler, String master) {
    this(scheduler, master, null);
  }

  /** As {@link #V1Mesos(Scheduler, String)}, authenticating with {@code credential} if it is not null. */
  public V1Mesos(Scheduler scheduler, String master, Credential credential) {
    this(scheduler, master, credential, LibraryFlags.options(System.getenv()));
  }

  /** jmesos: with {@link DriverOptions} (tests give a clock, a detector, a connection delay). */
  V1Mesos(Scheduler scheduler, String master, Credential credential, DriverOptions options) {
    if (scheduler == null) {
      throw new NullPointerException("Not expecting a null scheduler");
    }
    if (master == null) {
      throw new NullPointerException("Not expecting a null master");
    }
    this.scheduler = scheduler;
    this.master = master;
    this.credential = credential;
    this.options = options;
    initialize();
  }

  @Override
  public void send(Call call) {
    MesosProcess p = process;
    if (p == null) {
      LOG.warn("Ignoring call {} as the library has not been initialized yet", call.getType());
      return;
    }
    if (call.getType() != Call.Type.TEARDOWN) {
      p.send(call);
      return;
    }
    // Mesos waits for the answer to TEARDOWN, so that a scheduler may exit as soon as send returns.
    try {
      HttpResponse response = p.call(call).get(TEARDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (response.status() != 202) {
        LOG.warn("Received '{}' ({}) for TEARDOWN", HttpResponse.statusLine(response.status()),
            response.bodyText());
      }
    } catch (TimeoutException e) {
      LOG.error("Received no response to call TEARDOWN for {}", TEARDOWN_TIMEOUT);
    } catch (ExecutionException e) {
      LOG.warn("TEARDOWN not sent: {}", e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("Interrupted while waiting for the answer to TEARDOWN");
    }
  }

  @Override
  public void reconnect() {
    MesosProcess p = process;
    if (p == null) {
      LOG.warn("Ignoring the reconnect request as the library has not been initialized yet");
      return;
    }
    p.reconnect();
  }

  /**
   * Starts the library; the constructor calls it (in the Mesos jar it creates the native library).
   *
   * @throws IllegalArgumentException if the master is not a valid master value
   */
  protected void initialize() {
    MasterDetector detector;
    try {
      detector = options.masterDetector().orElseGet(() -> MasterDetectors.create(master, options.zkSessionTimeout()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Failed to create a master detector: " + e.getMessage(), e);
    }
    String authorization = credential == null ? null
        : Authorization.basic(credential.getPrincipal(), credential.getSecret());
    MesosProcess p = new MesosProcess(detector, authorization, options);
    p.start(new SchedulerCallbacks(p.name(), options.clock(), scheduler, this, p::close));
    process = p;
  }

  /** jmesos, for tests: disconnects and stops the library; no callback follows. */
  void close() {
    MesosProcess p = process;
    if (p != null) {
      p.close();
    }
  }
}
