package io.jmesos.agent;

import com.google.protobuf.Message;
import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.actor.MessageDispatcher;
import io.jmesos.agent.containers.Containerizer;
import io.jmesos.agent.containers.PosixLauncher;
import io.jmesos.agent.executors.AgentContext;
import io.jmesos.agent.executors.AgentMetrics;
import io.jmesos.agent.executors.CommandExecutorArchive;
import io.jmesos.agent.executors.ExecutorCalls;
import io.jmesos.agent.checkpoint.AgentCheckpoint;
import io.jmesos.agent.checkpoint.BootId;
import io.jmesos.agent.checkpoint.MetaPaths;
import io.jmesos.agent.containers.KnownContainer;
import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.executors.ExecutorManager;
import io.jmesos.agent.executors.ExecutorRecovery;
import io.jmesos.agent.executors.SandboxServices;
import io.jmesos.agent.fetcher.Fetcher;
import io.jmesos.agent.flags.AgentFlags;
import io.jmesos.agent.gc.DiskWatch;
import io.jmesos.agent.gc.GarbageCollector;
import io.jmesos.agent.http.AgentAuthentication;
import io.jmesos.agent.http.AgentRoutes;
import io.jmesos.agent.http.ExecutorApi;
import io.jmesos.agent.http.MonitorEndpoints;
import io.jmesos.agent.http.OperatorApi;
import io.jmesos.agent.http.StateEndpoints;
import io.jmesos.agent.master.LinkAuthentication;
import io.jmesos.agent.master.MasterLink;
import io.jmesos.agent.master.MasterReconciliation;
import io.jmesos.agent.resources.AgentResources;
import io.jmesos.agent.resources.ResourcesCheckpoint;
import io.jmesos.agent.status.StatusUpdateManager;
import io.jmesos.detector.MasterDetector;
import io.jmesos.files.AttachedFiles;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import io.jmesos.logging.DaemonLog;
import io.jmesos.internal.Messages.AcknowledgeOperationStatusMessage;
import io.jmesos.internal.Messages.ApplyOperationMessage;
import io.jmesos.internal.Messages.CheckpointResourcesMessage;
import io.jmesos.internal.Messages.FrameworkToExecutorMessage;
import io.jmesos.internal.Messages.DrainSlaveMessage;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.ReconcileOperationsMessage;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.RunTaskGroupMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.ShutdownExecutorMessage;
import io.jmesos.internal.Messages.ShutdownFrameworkMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.StatusUpdateAcknowledgementMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.internal.Messages.UpdateFrameworkMessage;
import io.jmesos.resources.MachineResources;
import io.jmesos.resources.Resources;
import io.jmesos.security.HttpAuthenticators;
import io.jmesos.security.authz.Action;
import io.jmesos.security.authz.Authorizer;
import io.jmesos.security.authz.Authorizers;
import io.jmesos.tls.TlsContext;
import io.jmesos.transport.Connection;
import io.jmesos.transport.Limits;
import io.jmesos.transport.MesosServer;
import io.jmesos.transport.MessageTap;
import io.jmesos.zookeeper.MasterDetectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.apache.mesos.Protos.Credential;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent daemon: serves HTTP (executor API, state, metrics) on one port, dials the master and
 * (re-)registers, runs the tasks the master sends in executors' containers, and delivers their status
 * updates reliably. Mutable state lives on one actor ("agent"); this facade only wires and enqueues.
 *
 * <p>Thread-safe: {@link #start()}, {@link #address()} and {@link #close()} may be called from any thread.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final AgentFlags flags;
  private final Clock clock;
  private final List<String> commandExecutorCommand;
  private final Containerizer containerizer;
  private final Limits limits;
  private final TlsContext tls;
  private final MessageTap messageTap;
  private final MasterDetector givenDetector;
  private final Actor actor;
  private final CountingPool blocking;
  private final AgentMetrics metrics = new AgentMetrics();
  private final AttachedFiles files = new AttachedFiles();
  private final DoubleSupplier diskUsage;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final AgentCheckpoint checkpoint;
  /** True until recovery is over: /state answers 503 meanwhile, and the agent does not register yet. */
  private volatile boolean recovering = true;
  private long startNanos;
  private int recoveryErrors;

  private final AgentRoutes routes = new AgentRoutes();
  private final HttpAuthenticators authenticators;
  private final Optional<Credential> credential;
  /** The key of executors' tokens ({@code --jwt_secret_key}); empty: executors get no token. */
  private final Optional<byte[]> jwtKey;
  /** Why the agent stopped, when it failed (the master refused its credential); null otherwise. */
  private volatile RuntimeException failure;
  /** --acls: who may read sandboxes; pure, asked on whatever thread serves /files. */
  private final Authorizer authorizer;
  private MesosServer server;
  private volatile MasterDetector detector;
  private volatile InetSocketAddress address;

  // Owned by the actor once started.
  private SlaveInfo slaveInfo;
  private MasterLink link;
  private StatusUpdateManager updates;
  private ExecutorManager executors;
  private DiskWatch diskWatch;
  /** The agent's total with its reservations and persistent volumes, and its offer operations. */
  private AgentResources agentResources;

  Agent(AgentBuilder b) {
    this.flags = b.flags();
    this.jwtKey = AgentAuthentication.jwtSecretKey(flags.authentication);
    this.authenticators = AgentAuthentication.create(flags.authentication, jwtKey, b.clock());
    this.credential = AgentAuthentication.credential(flags.authentication);
    this.authorizer = Authorizers.create(flags.get(flags.authorizer), flags.find(flags.acls));
    this.clock = b.clock();
    this.commandExecutorCommand = b.commandExecutorCommand();
    this.containerizer = Containerizer.create(flags, b.launcher() != null ? b.launcher() : new PosixLauncher());
    this.tls = b.tls();
    this.limits = b.limits() == null
        ? Limits.DEFAULT.withMaxConnectionsPerPeer(flags.maxConnectionsPerPeer(), true) : b.limits();
    this.diskUsage = b.diskUsage() != null ? b.diskUsage() : DiskWatch.fileSystemUsage(flags.workDir());
    this.messageTap = b.messageTap();
    this.givenDetector = b.detector();
    this.actor = new Actor("agent", clock);
    this.checkpoint = new AgentCheckpoint(new MetaPaths(flags.workDir()));
    this.blocking = new CountingPool(r -> {
      Thread t = new Thread(r, "agent-blocking-" + POOLS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public static AgentBuilder builder(AgentFlags flags) {
    return new AgentBuilder(flags);
  }

  /**
   * Binds the HTTP port, recovers what the last agent on this work directory checkpointed (its id, executors and
   * tasks, their status updates), then starts connecting to the master (once recovered executors re-subscribed or
   * timed out). Returns the bound address. A failed recovery stops the agent, leaving every container as it was,
   * and throws.
   */
  public InetSocketAddress start() throws InterruptedException {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("Agent already started");
    }
    try {
      return startNow();
    } catch (RuntimeException e) {
      stop(false, false, false);
      throw e;
    }
  }

  private InetSocketAddress startNow() throws InterruptedException {
    startNanos = System.nanoTime();
    try {
      Files.createDirectories(flags.workDir());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create --work_dir " + flags.workDir(), e);
    }
    String ip = flags.ip() != null ? flags.ip() : localAddress();
    String bindIp = flags.ip() != null ? flags.ip() : "0.0.0.0";
    server = new MesosServer("agent", new InetSocketAddress(bindIp, flags.port()), router(), null, limits,
        MessageTap.NONE, tls);
    InetSocketAddress bound = server.start();
    String endpoint = ip + ":" + bound.getPort();
    String pid = "slave(1)@" + endpoint;
    address = new InetSocketAddress(ip, bound.getPort());
    Resources resources = flags.resources() == null
        ? MachineResources.detect(flags.workDir())
        : MachineResources.complete(flags.resources(), flags.defaultRole(), flags.workDir());
    String hostname = flags.hostname() != null ? flags.hostname() : localHostname(ip);
    SlaveInfo info = SlaveInfo.newBuilder()
        .setHostname(hostname)
        .setPort(bound.getPort())
        .addAllResources(resources.toList())
        .addAllAttributes(flags.attributes().toList())
        .build();
    ResourcesCheckpoint resourcesCheckpoint = new ResourcesCheckpoint(checkpoint.paths().metaDir());
    AgentResources.Recovered recoveredResources =
        AgentResources.recover(flags.workDir(), resourcesCheckpoint, resources, flags.strict());
    CheckpointRecovery.Outcome recovered = CheckpointRecovery.recover(checkpoint.paths(), info, flags.strict(),
        flags.additiveReconfiguration());
    recoveryErrors = recovered.errors() + recoveredResources.errors();
    detector = givenDetector != null ? givenDetector : MasterDetectors.create(flags.master(), flags.zkSessionTimeout());
    ExecutorRecovery recovery = join(actor.call(() -> {
      wire(recovered.info(), endpoint, pid);
      agentResources = new AgentResources(actor, flags.workDir(), resourcesCheckpoint, resources,
          recoveredResources, message -> link.send(message),
          () -> slaveInfo.hasId() ? Optional.of(slaveInfo.getId()) : Optional.empty(), this::resourcesInUse);
      return new ExecutorRecovery(executors);
    }));
    List<KnownContainer> known = join(actor.call(() -> recovered.slave().map(slave -> recovery.restore(slave, recovered.rebooted()))
        .orElse(List.of())));
    java.util.Map<org.apache.mesos.Protos.ContainerID, LaunchedProcess> processes;
    try {
      processes = containerizer.recover(known);
    } catch (IOException e) {
      throw new IllegalStateException("Failed to perform recovery: cannot recover containers: " + e.getMessage(), e);
    }
    join(actor.call(() -> {
      // Executors are heard from now on: a recovered one that re-subscribed earlier would have been unknown (and
      // refused for good); until now its driver got 503 and retried.
      routes.executorApi = new ExecutorApi(actor, new ExecutorCalls(executors));
      recovery.reconnect(processes, flags.recoverCleanup());
      awaitExecutors();
      return null;
    }));
    LOG.info("Agent started at {} with resources {}; master: {}", endpoint, recoveredResources.total(),
        flags.masterLocation());
    return address;
  }

  /** Whether the agent is still recovering (then /state answers 503 and it has not registered yet). */
  public boolean isRecovering() {
    return recovering;
  }

  /**
   * Finishes recovery once no recovered executor is expected to re-subscribe any more (each did, or was given
   * up at its re-registration timeout), as Mesos waits before it re-registers (MESOS-7539); at once when there
   * are none. Runs on the actor.
   */
  private void awaitExecutors() {
    if (!recovering) {
      return;
    }
    if (flags.recoverCleanup()) {
      if (executors.frameworks().stream().flatMap(fw -> fw.executors().stream())
          .allMatch(ex -> ex.state() == io.jmesos.agent.executors.ExecutorState.State.TERMINATED)) {
        LOG.info("Finished recovery with --recover=cleanup: every old executor is gone; the agent stops");
        CheckpointRecovery.forgetLatest(checkpoint.paths());
        recovering = false;
        CompletableFuture.runAsync(() -> stop(false), blocking);
      }
      return;
    }
    if (executors.awaitingReregistration()) {
      return;
    }
    recovering = false;
    try {
      checkpoint.bootId(BootId.current());
    } catch (IOException e) {
      LOG.error("Could not checkpoint the boot id: {}", e.getMessage());
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    metrics.recovered(recoveryErrors, seconds);
    LOG.info("Finished recovery in {} ms ({} errors skipped)", Math.round(seconds * 1000), recoveryErrors);
    link.start();
  }

  /** The resources of the live executors and their tasks: a persistent volume among them is in use. On the actor. */
  private Resources resourcesInUse() {
    Resources used = Resources.empty();
    for (io.jmesos.agent.executors.FrameworkState fw : executors.frameworks()) {
      for (io.jmesos.agent.executors.ExecutorState ex : fw.executors()) {
        if (ex.state() != io.jmesos.agent.executors.ExecutorState.State.TERMINATED) {
          used = used.plus(ex.allocated());
        }
      }
    }
    return used;
  }

  /** The address executors and the master reach this agent at; null before {@link #start()}. */
  public InetSocketAddress address() {
    return address;
  }

  /** Completes once the agent has stopped, by {@link #close()} or because the master shut it down. */
  public CompletableFuture<Void> terminated() {
    return terminated;
  }

  /** The id the master gave this agent, once registered. */
  public CompletableFuture<SlaveID> slaveId() {
    return actor.call(() -> slaveInfo != null && slaveInfo.hasId() ? slaveInfo.getId() : null);
  }

  /**
   * True when every message queued for the agent's actor has been processed and nothing runs on its blocking
   * pool (launches, fetches, signals, GC), whose results re-enter the actor (tests settle on it). Running
   * tasks' processes are not counted: their exits come when they come.
   */
  public boolean isIdle() {
    return actor.isIdle() && blocking.isIdle();
  }

  private void wire(SlaveInfo info, String endpoint, String pid) {
    slaveInfo = info;
    MessageDispatcher<Connection> handlers = new MessageDispatcher<>("agent");
    updates = new StatusUpdateManager(actor,
        update -> link.send(StatusUpdateMessage.newBuilder().setUpdate(update).setPid(endpoint).build()));
    updates.pause();
    GarbageCollector gc =
        new GarbageCollector(actor, blocking, removed -> SandboxServices.detachRemoved(files, removed));
    diskWatch = new DiskWatch(actor, blocking, gc, diskUsage, flags.gcDelay(), flags.gcDiskHeadroom(),
        flags.diskWatchInterval());
    diskWatch.start();
    AgentContext context = new AgentContext(actor, flags, containerizer, blocking, commandExecutorCommand, updates,
        message -> link.send(message), metrics, () -> slaveInfo, endpoint, pid,
        new SandboxServices(new Fetcher(), files, gc, flags.gcDelay(),
            CommandExecutorArchive.in(flags.workDir(), commandExecutorCommand), authorizer),
        executorBaseEnvironment());
    jwtKey.ifPresent(context::jwtSecretKey);
    executors = new ExecutorManager(context);
    executors.onRecoveryProgress(this::awaitExecutors);
    link = new MasterLink(actor, detector, limits, flags.registrationBackoffFactor(),
        new LinkListener(endpoint), handlers, messageTap,
        LinkAuthentication.of(credential, pid, flags.authentication), tls);
    handlers
        .install(RunTaskMessage.getDefaultInstance(), (c, m) -> executors.runTask(m))
        .install(RunTaskGroupMessage.getDefaultInstance(), (c, m) -> executors.runTaskGroup(m))
        .install(KillTaskMessage.getDefaultInstance(), (c, m) -> executors.killTask(m))
        .install(DrainSlaveMessage.getDefaultInstance(), (c, m) -> executors.drain.drain(m))
        .install(StatusUpdateAcknowledgementMessage.getDefaultInstance(), (c, m) -> executors.acknowledgement(m))
        .install(FrameworkToExecutorMessage.getDefaultInstance(), (c, m) -> executors.frameworkMessage(m))
        .install(UpdateFrameworkMessage.getDefaultInstance(), (c, m) -> executors.updateFramework(m))
        .install(ShutdownFrameworkMessage.getDefaultInstance(),
            (c, m) -> executors.shutdownFramework(m.getFrameworkId()))
        .install(ShutdownExecutorMessage.getDefaultInstance(),
            (c, m) -> executors.shutdownExecutor(m.getFrameworkId(), m.getExecutorId()))
        .install(ApplyOperationMessage.getDefaultInstance(), (c, m) -> agentResources.apply(m))
        .install(AcknowledgeOperationStatusMessage.getDefaultInstance(), (c, m) -> agentResources.acknowledge(m))
        .install(CheckpointResourcesMessage.getDefaultInstance(), (c, m) -> agentResources.checkpointResources(m))
        .install(ReconcileOperationsMessage.getDefaultInstance(), (c, m) -> agentResources.reconcile(m));
    // /state and the metrics show the total: --resources with the reservations and volumes made since.
    StateEndpoints state = new StateEndpoints(actor, executors, metrics,
        () -> slaveInfo.toBuilder().clearResources().addAllResources(agentResources.total().toList()).build(),
        () -> link.master().map(InetSocketAddress::getHostString).orElse(null), () -> link.isRegistered(),
        flags.asMap(), pid, gc);
    HttpHandler stateEndpoint = state.state(authorizer);
    routes.state = (req, resp) -> {
      if (recovering) {
        resp.respond(HttpResponse.text(503, "Agent has not finished recovery"));
      } else {
        stateEndpoint.handle(req, resp);
      }
    };
    routes.metrics = state.metrics();
    MonitorEndpoints monitor = new MonitorEndpoints(actor, executors, containerizer, blocking);
    routes.monitorStatistics = monitor.statistics();
    routes.containers = monitor.containers(authorizer);
    routes.operatorApi = OperatorApi.create(actor, executors, () -> slaveInfo, flags.asMap(), state, monitor, files,
        blocking, authorizer).operations(() -> agentResources.operations());
  }

  private HttpRouter router() {
    // Mesos' access_mesos_logs: /files/* on /slave/log answers 403 to a principal the ACLs refuse.
    DaemonLog.attach(files, "/slave/log", "mesos-agent", flags.logging.logDir(), flags.logging.externalLogFile(),
        authorizer == Authorizer.ALLOW_ALL ? null
            : principal -> authorizer.authorized(Action.ACCESS_MESOS_LOG, principal, null));
    return routes.router(files, blocking, flags.asMap(), authenticators, authorizer);
  }

  /**
   * Kills every executor, tells the master this agent is gone (Mesos' SIGUSR1: the master should not wait for
   * it to come back), disconnects and stops serving. Idempotent; tests and embedders stop agents this way.
   */
  @Override
  public void close() {
    stop(true);
  }

  /**
   * Stops the agent and leaves the executors of checkpointing frameworks running, with their cgroups, for the
   * next agent on this work directory to recover (Mesos' agent on SIGTERM); executors of frameworks that do not
   * checkpoint are killed, since nothing would recover them. The master is not told: it waits for the agent to
   * come back. Idempotent.
   */
  public void detach() {
    stop(false, false);
  }

  /**
   * Stops the agent as {@code kill -9} would leave things: every container keeps running, nothing is cleaned up
   * and the master is not told. For tests of what a restarted agent finds after a crash.
   */
  public void crash() {
    stop(false, false, false);
  }

  private void stop(boolean unregister) {
    stop(unregister, true);
  }

  private void stop(boolean unregister, boolean destroy) {
    stop(unregister, destroy, true);
  }

  /**
   * {@code unregister}: send UnregisterSlaveMessage first, unless the master itself asked us to go;
   * {@code destroy}: kill every container, else only those nothing will recover.
   */
  private void stop(boolean unregister, boolean destroy, boolean killUnrecoverable) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (started.get()) {
      try {
        join(actor.call(() -> {
          if (executors != null) {
            diskWatch.stop();
            if (destroy) {
              executors.destroyAll();
            } else if (killUnrecoverable) {
              executors.destroyUnrecoverable();
            }
            updates.close();
            if (agentResources != null) {
              agentResources.close();
            }
            if (unregister && slaveInfo.hasId()) {
              link.unregister(slaveInfo.getId());
            }
            link.close();
          }
          return null;
        }));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.warn("Agent failed to stop cleanly: {}", e.toString());
      }
    }
    if (server != null) {
      server.close();
    }
    if (link != null) {
      link.shutdownClient();
    }
    if (detector != null) {
      detector.close();
    }
    if (destroy) {
      containerizer.close();
    } else if (killUnrecoverable) {
      containerizer.detach();
    } else {
      containerizer.abandon();
    }
    blocking.shutdown();
    actor.close();
    if (failure != null) {
      terminated.completeExceptionally(failure);
    } else {
      terminated.complete(null);
    }
  }

  private static <T> T join(CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Agent actor did not answer within 30s", e);
    }
  }

  private static String localAddress() {
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  private static String localHostname(String ip) {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return ip;
    }
  }

  /** The agent's side of the master link. Runs on the actor. */
  private final class LinkListener implements MasterLink.Listener {
    private final String endpoint;

    LinkListener(String endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public Message registration() {
      if (!slaveInfo.hasId()) {
        return RegisterSlaveMessage.newBuilder()
            .setSlave(slaveInfo).addAllCheckpointedResources(agentResources.checkpointed().toList())
            .setVersion(StateEndpoints.VERSION).setPid(endpoint).build();
      }
      return ReregisterSlaveMessage.newBuilder()
          .setSlave(slaveInfo)
          .addAllCheckpointedResources(agentResources.checkpointed().toList())
          .addAllOperations(agentResources.operations())
          .addAllExecutorInfos(executors.executorInfos())
          .addAllTasks(executors.tasks())
          .addAllFrameworks(executors.frameworkInfos())
          .setVersion(StateEndpoints.VERSION)
          .setPid(endpoint)
          .build();
    }

    @Override
    public void registered(SlaveID slaveId, boolean reregistered, SlaveReregisteredMessage details) {
      if (slaveInfo.hasId() && !slaveInfo.getId().equals(slaveId)) {
        LOG.error("Master {} re-registered agent {} under another id {}; keeping {}", link.master().orElse(null),
            slaveInfo.getId().getValue(), slaveId.getValue(), slaveInfo.getId().getValue());
      } else {
        slaveInfo = slaveInfo.toBuilder().setId(slaveId).build();
      }
      try {
        checkpoint.slave(slaveInfo);
      } catch (IOException e) {
        LOG.error("Failed to checkpoint the info of agent {}: {}", slaveId.getValue(), e.getMessage());
      }
      details.getUnknownFrameworkIdsList().forEach(executors::shutdownFramework);
      MasterReconciliation.reconcile(details.getReconciliationsList(), executors::hasTask, slaveId, updates,
          clock.currentTimeSeconds());
      updates.resume();
      agentResources.connected();
    }

    @Override
    public void disconnected() {
      updates.pause();
      agentResources.disconnected();
    }

    @Override
    public void shutdown(String message) {
      LOG.error("Agent shutting down at the master's request: {}", message);
      CompletableFuture.runAsync(() -> stop(false), blocking);
    }

    @Override
    public void authenticationRefused(String message) {
      // As Mesos' agent, which exits rather than shutting down, to keep its executors for the next agent.
      LOG.error("Agent stopping: {}", message);
      failure = new IllegalStateException(message);
      CompletableFuture.runAsync(() -> stop(false, false), blocking);
    }
  }

  /** The agent's environment with its TLS settings over it, for its executors (Mesos' inherit the agent's). */
  private Map<String, String> executorBaseEnvironment() {
    Map<String, String> env = new java.util.LinkedHashMap<>(System.getenv());
    env.putAll(tls.environment());
    return env;
  }
}
