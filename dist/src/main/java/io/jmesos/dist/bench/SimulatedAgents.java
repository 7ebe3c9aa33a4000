package io.jmesos.dist.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.actor.Backoff;
import io.jmesos.actor.MessageDispatcher;
import io.jmesos.detector.MasterDetector;
import io.jmesos.detector.MasterEndpoints;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.RunTaskGroupMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.ShutdownMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.StatusUpdateAcknowledgementMessage;
import io.jmesos.resources.Resources;
import io.jmesos.transport.Connection;
import io.jmesos.transport.ConnectionHandler;
import io.jmesos.transport.Limits;
import io.jmesos.transport.MessageClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many agents in one process, each a real loopback connection speaking the internal protocol
 * (docs/internal-protocol.md) through a few shared {@link MessageClient} event loops, not a thread per agent.
 * Each agent registers ({@code RegisterSlaveMessage}), answers pings, and when the one ZooKeeper detector they
 * share reports a new leader, connects to it and re-registers ({@code ReregisterSlaveMessage} with its id, its
 * tasks and their framework) until a {@code SlaveReregisteredMessage} answers.
 *
 * <p>Pacing, as the real agent's {@code MasterLink} (which it stands in for): on a leader change every agent
 * connects at once and sends at once, then resends with full-jitter exponential backoff ({@code
 * --registration_backoff_factor}, doubling, capped at 1 min) until answered, so a message the new leader drops
 * (not recovered yet) costs a retry. Two bench-only bounds keep loopback honest: at most {@code connectWindow}
 * TCP connects are pending at a time (10,000 SYNs at once would overflow the master's accept backlog of 1024,
 * which agents on distinct hosts spread over time would not), and the initial registration of the N agents keeps
 * at most {@code registerWindow} registrations unanswered (it sets the cluster up; it is not measured).
 *
 * <p>For a failover the tasks are not launched: each agent reports its K tasks (TASK_RUNNING, one framework, with
 * resources allocated to role {@code *}) only in its re-registration, and the new leader re-adds them and recovers
 * the framework from the agents' reports, as after any failover. Tasks a master launches ({@code RunTaskMessage},
 * {@code RunTaskGroupMessage}) run and finish at once ({@link InstantTasks}): TASK_RUNNING and, with {@code
 * finishTasks}, TASK_FINISHED, each retried until acknowledged, as an agent's status update manager does.
 *
 * <p>Threading: the clients' I/O threads, one timer thread and the detector's callbacks drive the agents; each
 * callback does constant work per message (record an answer, answer a ping, schedule a retry). An agent's state is
 * guarded by its own monitor; counters are atomics.
 */
final class SimulatedAgents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedAgents.class);
  private static final Duration BACKOFF_CAP = Duration.ofMinutes(1);
  private static final Envelope PONG = MessageDispatcher.envelope(PongSlaveMessage.getDefaultInstance());
  private static final String REGISTERED = SlaveRegisteredMessage.getDescriptor().getFullName();
  private static final String REREGISTERED = SlaveReregisteredMessage.getDescriptor().getFullName();
  private static final String PING = PingSlaveMessage.getDescriptor().getFullName();
  private static final String SHUTDOWN = ShutdownMessage.getDescriptor().getFullName();
  private static final String RUN_TASK = RunTaskMessage.getDescriptor().getFullName();
  private static final String RUN_TASK_GROUP = RunTaskGroupMessage.getDescriptor().getFullName();
  private static final String ACK = StatusUpdateAcknowledgementMessage.getDescriptor().getFullName();
  /** As the agent's status update manager's first retry interval. */
  private static final Duration UPDATE_RETRY = Duration.ofSeconds(10);

  /** What the agents declare and run. */
  record Options(int agents, int tasksPerAgent, String agentResources, String taskResources, int ioThreads,
      int registerWindow, int connectWindow, Duration backoffFactor, boolean finishTasks) {
    /** Agents whose launched tasks keep running. */
    Options(int agents, int tasksPerAgent, String agentResources, String taskResources, int ioThreads,
        int registerWindow, int connectWindow, Duration backoffFactor) {
      this(agents, tasksPerAgent, agentResources, taskResources, ioThreads, registerWindow, connectWindow,
          backoffFactor, false);
    }
  }

  private final Options options;
  private final MessageClient[] clients;
  private final Agent[] agents;
  private final Map<Connection, Agent> byConnection = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "sim-agents-timer");
    thread.setDaemon(true);
    return thread;
  });
  private final ConnectQueue connects;
  private final InstantTasks tasks;
  private final Semaphore registerWindow;
  private final AtomicInteger registered = new AtomicInteger();
  private final AtomicInteger reregistered = new AtomicInteger();
  private final AtomicLong pings = new AtomicLong();
  private final AtomicLong shutdowns = new AtomicLong();
  private final AtomicLong unexpected = new AtomicLong();
  private volatile CountDownLatch allRegistered = new CountDownLatch(0);
  private volatile CountDownLatch allReregistered = new CountDownLatch(0);
  private volatile MasterDetector detector;
  private volatile Optional<MasterInfo> leader = Optional.empty();
  private volatile long leaderDetectedNanos;

  SimulatedAgents(Options options) {
    this.options = options;
    this.connects = new ConnectQueue(options.connectWindow());
    this.registerWindow = new Semaphore(options.registerWindow());
    this.tasks = new InstantTasks(timers, UPDATE_RETRY, options.finishTasks());
    ConnectionHandler handler = new Handler();
    this.clients = new MessageClient[options.ioThreads()];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = new MessageClient("sim-agents-" + i, Limits.DEFAULT, handler);
    }
    SlaveInfo.Builder template = SlaveInfo.newBuilder()
        .setPort(5051)
        .addAllResources(Resources.parse(options.agentResources(), "*").toList());
    this.agents = new Agent[options.agents()];
    for (int i = 0; i < agents.length; i++) {
      agents[i] = new Agent(i, template.setHostname("sim-agent-" + i).build(), clients[i % clients.length],
          new Backoff(options.backoffFactor(), max(options.backoffFactor(), BACKOFF_CAP)));
    }
  }

  /**
   * Registers every agent with the master at {@code master}, keeping at most {@code registerWindow} registrations
   * unanswered; returns once all are registered.
   */
  void registerAll(InetSocketAddress master, Duration timeout) throws InterruptedException {
    allRegistered = new CountDownLatch(agents.length);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Agent agent : agents) {
      if (!registerWindow.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("Only " + registered.get() + " of " + agents.length
            + " agents registered within " + timeout);
      }
      begin(agent, master, registration(agent));
    }
    if (!allRegistered.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("Only " + registered.get() + " of " + agents.length
          + " agents registered within " + timeout);
    }
  }

  /**
   * Builds each agent's re-registration once (its id, its tasks of {@code framework} and the framework), so that
   * the failover measures the master and not the building of messages.
   */
  void prepareReregistration(FrameworkInfo framework) {
    Resources taskResources = Resources.parse(options.taskResources(), "*").allocatedTo(framework.getRoles(0));
    for (Agent agent : agents) {
      SlaveInfo info = agent.info.toBuilder().setId(agent.id).build();
      ReregisterSlaveMessage.Builder message = ReregisterSlaveMessage.newBuilder()
          .setSlave(info)
          .addFrameworks(framework)
          .setVersion(io.jmesos.master.Master.VERSION)
          .setPid(pid(agent));
      for (int t = 0; t < options.tasksPerAgent(); t++) {
        message.addTasks(Task.newBuilder()
            .setName("sim-task")
            .setTaskId(TaskID.newBuilder().setValue("sim-task-" + agent.index + "-" + t))
            .setFrameworkId(framework.getId())
            .setSlaveId(agent.id)
            .setState(TaskState.TASK_RUNNING)
            .addAllResources(taskResources.toList()));
      }
      agent.reregistration = MessageDispatcher.envelope(message.build());
    }
  }

  /**
   * Follows the leader {@code detector} reports (the caller closes it after this): returns once it reported the
   * current one, {@code current}; every later change makes every agent re-register with the new leader.
   */
  void follow(MasterDetector detector, String currentId, Duration timeout) throws Exception {
    this.detector = detector;
    Optional<MasterInfo> first = detector.detect(Optional.empty()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (first.isEmpty() || !first.get().getId().equals(currentId)) {
      throw new IllegalStateException("The detector reports " + first.map(MasterInfo::getId) + ", not "
          + currentId);
    }
    leader = first;
    watch(first);
  }

  private void watch(Optional<MasterInfo> previous) {
    MasterDetector d = detector;
    if (d == null) {
      return;
    }
    d.detect(previous).whenComplete((next, error) -> {
      if (error != null) {
        if (detector != null && !(error instanceof java.util.concurrent.CancellationException)) {
          LOG.warn("Detector failed: {}", error.toString());
        }
        return;
      }
      leaderChanged(next);
      watch(next);
    });
  }

  /** Expects every agent to re-register (again) from now on. */
  void expectReregistration() {
    reregistered.set(0);
    leaderDetectedNanos = 0;
    allReregistered = new CountDownLatch(agents.length);
    for (Agent agent : agents) {
      synchronized (agent) {
        agent.answeredNanos = 0;
        agent.attempts = 0;
      }
    }
  }

  boolean awaitReregistered(Duration timeout) throws InterruptedException {
    return allReregistered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int reregistered() {
    return reregistered.get();
  }

  /** When the detector reported the current leader (System.nanoTime), 0 before a change. */
  long leaderDetectedNanos() {
    return leaderDetectedNanos;
  }

  /** Times at which agents got their SlaveReregisteredMessage since {@link #expectReregistration()}, sorted. */
  long[] reregisteredNanos() {
    long[] times = new long[agents.length];
    int n = 0;
    for (Agent agent : agents) {
      synchronized (agent) {
        if (agent.answeredNanos != 0) {
          times[n++] = agent.answeredNanos;
        }
      }
    }
    long[] sorted = Arrays.copyOf(times, n);
    Arrays.sort(sorted);
    return sorted;
  }

  /**
   * For each agent answered since its last (re-)registration began, the time from its start (connect included) to
   * its answer, in nanoseconds, sorted.
   */
  long[] registrationNanos() {
    long[] times = new long[agents.length];
    int n = 0;
    for (Agent agent : agents) {
      synchronized (agent) {
        if (agent.answeredNanos != 0) {
          times[n++] = agent.answeredNanos - agent.startedNanos;
        }
      }
    }
    long[] sorted = Arrays.copyOf(times, n);
    Arrays.sort(sorted);
    return sorted;
  }

  int registered() {
    return registered.get();
  }

  /** Registration messages sent since {@link #expectReregistration()}, over all agents (first sends + retries). */
  long attempts() {
    long total = 0;
    for (Agent agent : agents) {
      synchronized (agent) {
        total += agent.attempts;
      }
    }
    return total;
  }

  long pings() {
    return pings.get();
  }

  long shutdowns() {
    return shutdowns.get();
  }

  long unexpectedMessages() {
    return unexpected.get();
  }

  /** The tasks the agents run. */
  InstantTasks tasks() {
    return tasks;
  }

  private void leaderChanged(Optional<MasterInfo> next) {
    leader = next;
    if (next.isEmpty()) {
      LOG.info("No leading master detected");
      return;
    }
    leaderDetectedNanos = System.nanoTime();
    InetSocketAddress target = MasterEndpoints.address(next.get());
    LOG.info("New leading master {} detected: {} agents re-register with it", next.get().getId(), agents.length);
    for (Agent agent : agents) {
      begin(agent, target, agent.reregistration);
    }
  }

  /** Starts a new registration attempt of {@code agent}: forgets its connection, connects to {@code target}. */
  private void begin(Agent agent, InetSocketAddress target, Envelope message) {
    Connection old;
    long epoch;
    synchronized (agent) {
      epoch = ++agent.epoch;
      old = agent.connection;
      agent.connection = null;
      agent.target = target;
      agent.message = message;
      agent.answered = false;
      agent.startedNanos = System.nanoTime();
      agent.backoff.reset();
      cancel(agent);
    }
    if (old != null) {
      byConnection.remove(old);
      old.close();
    }
    connects.submit(() -> connect(agent, epoch));
  }

  /** Runs under the connect window; releases it when the connect completes either way. */
  private void connect(Agent agent, long epoch) {
    InetSocketAddress target;
    synchronized (agent) {
      if (agent.epoch != epoch || agent.answered) {
        connects.done();
        return;
      }
      target = agent.target;
    }
    agent.client.connect(target).whenComplete((connection, error) -> {
      connects.done();
      if (error != null) {
        Duration wait;
        synchronized (agent) {
          wait = agent.backoff.next();
        }
        schedule(agent, epoch, () -> connects.submit(() -> connect(agent, epoch)), wait);
        return;
      }
      synchronized (agent) {
        if (agent.epoch != epoch || agent.answered) {
          connection.close();
          return;
        }
        agent.connection = connection;
      }
      byConnection.put(connection, agent);
      send(agent, epoch);
    });
  }

  /** Sends the agent's (re-)registration and schedules the next try, as the agent's registration backoff. */
  private void send(Agent agent, long epoch) {
    Connection connection;
    Envelope message;
    Duration wait;
    synchronized (agent) {
      if (agent.epoch != epoch || agent.answered) {
        return;
      }
      connection = agent.connection;
      message = agent.message;
      wait = agent.backoff.next();
      if (connection != null && connection.isOpen()) {
        agent.attempts++;
      }
    }
    if (connection == null || !connection.isOpen()) {
      synchronized (agent) {
        if (agent.epoch == epoch && agent.connection == connection) {
          agent.connection = null;
        }
      }
      schedule(agent, epoch, () -> connects.submit(() -> connect(agent, epoch)), wait);
      return;
    }
    connection.send(message);
    schedule(agent, epoch, () -> send(agent, epoch), wait);
  }

  private void schedule(Agent agent, long epoch, Runnable task, Duration wait) {
    synchronized (agent) {
      if (agent.epoch != epoch || agent.answered) {
        return;
      }
      cancel(agent);
      agent.retry = timers.schedule(task, wait.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private static void cancel(Agent agent) {
    if (agent.retry != null) {
      agent.retry.cancel(false);
      agent.retry = null;
    }
  }

  private RegisterSlaveMessage registrationMessage(Agent agent) {
    return RegisterSlaveMessage.newBuilder()
        .setSlave(agent.info)
        .setVersion(io.jmesos.master.Master.VERSION)
        .setPid(pid(agent))
        .build();
  }

  private Envelope registration(Agent agent) {
    return MessageDispatcher.envelope(registrationMessage(agent));
  }

  private static String pid(Agent agent) {
    return "slave(1)@127.0.0.1:" + (5051 + agent.index % 50_000);
  }

  private void answered(Connection connection, Envelope envelope, boolean first) {
    Agent agent = byConnection.get(connection);
    if (agent == null) {
      return;
    }
    long now = System.nanoTime();
    synchronized (agent) {
      if (agent.answered || agent.connection != connection) {
        return;
      }
      if (first) {
        try {
          agent.id = SlaveRegisteredMessage.parseFrom(envelope.getPayload()).getSlaveId();
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException("Bad SlaveRegisteredMessage", e);
        }
      }
      agent.answered = true;
      agent.answeredNanos = now;
      cancel(agent);
    }
    if (first) {
      registered.incrementAndGet();
      registerWindow.release();
      allRegistered.countDown();
    } else {
      reregistered.incrementAndGet();
      allReregistered.countDown();
    }
  }

  @Override
  public void close() {
    detector = null;
    tasks.close();
    timers.shutdownNow();
    for (Connection connection : byConnection.keySet()) {
      connection.close();
    }
    for (MessageClient client : clients) {
      client.close();
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Messages from masters, on the clients' I/O threads. */
  private final class Handler implements ConnectionHandler {
    @Override
    public void onConnect(Connection connection) {}

    @Override
    public void onMessage(Connection connection, Envelope envelope) {
      String type = envelope.getType();
      if (type.equals(PING)) {
        pings.incrementAndGet();
        connection.send(PONG);
      } else if (type.equals(REGISTERED)) {
        answered(connection, envelope, true);
      } else if (type.equals(REREGISTERED)) {
        answered(connection, envelope, false);
      } else if (type.equals(RUN_TASK) || type.equals(RUN_TASK_GROUP) || type.equals(ACK)) {
        Agent agent = byConnection.get(connection);
        if (agent == null) {
          unexpected.incrementAndGet();
        } else if (type.equals(RUN_TASK)) {
          tasks.runTask(agent, envelope);
        } else if (type.equals(RUN_TASK_GROUP)) {
          tasks.runTaskGroup(agent, envelope);
        } else {
          tasks.acknowledged(agent, envelope);
        }
      } else if (type.equals(SHUTDOWN)) {
        shutdowns.incrementAndGet();
        LOG.warn("Master {} shut down an agent", connection.remoteAddress());
      } else {
        unexpected.incrementAndGet();
      }
    }

    @Override
    public void onDisconnect(Connection connection) {
      Agent agent = byConnection.remove(connection);
      if (agent != null) {
        synchronized (agent) {
          if (agent.connection == connection) {
            agent.connection = null; // the next retry reconnects, unless the agent is answered
          }
        }
      }
    }
  }

  /** One simulated agent's state, guarded by its monitor. */
  private static final class Agent implements InstantTasks.Host {
    final int index;
    final SlaveInfo info;
    final MessageClient client;
    final Backoff backoff;
    SlaveID id;
    Envelope reregistration;
    long epoch;
    InetSocketAddress target;
    Envelope message;
    Connection connection;
    boolean answered;
    long answeredNanos;
    long startedNanos;
    int attempts;
    ScheduledFuture<?> retry;

    Agent(int index, SlaveInfo info, MessageClient client, Backoff backoff) {
      this.index = index;
      this.info = info;
      this.client = client;
      this.backoff = backoff;
    }

    @Override
    public synchronized SlaveID slaveId() {
      return id;
    }

    @Override
    public String pid() {
      return SimulatedAgents.pid(this);
    }

    /** Sends on the current connection; dropped when there is none (the update's retry resends it). */
    @Override
    public void send(Envelope envelope) {
      Connection current;
      synchronized (this) {
        current = connection;
      }
      if (current != null && current.isOpen()) {
        current.send(envelope);
      }
    }
  }

  /** Runs connect tasks with at most {@code window} in flight; each task calls {@link #done()} exactly once. */
  private static final class ConnectQueue {
    private final int window;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    ConnectQueue(int window) {
      this.window = window;
    }

    void submit(Runnable task) {
      queue.add(task);
      drain();
    }

    void done() {
      inFlight.decrementAndGet();
      drain();
    }

    private void drain() {
      while (!queue.isEmpty()) {
        int n = inFlight.get();
        if (n >= window) {
          return;
        }
        if (!inFlight.compareAndSet(n, n + 1)) {
          continue;
        }
        Runnable task = queue.poll();
        if (task == null) {
          inFlight.decrementAndGet();
          continue;
        }
        task.run();
      }
    }
  }
}
