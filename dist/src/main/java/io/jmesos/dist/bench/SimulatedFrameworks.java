package io.jmesos.dist.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpConnection;
import io.jmesos.http.MediaTypes;
import io.jmesos.recordio.RecordIO;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Frameworks on the v1 scheduler HTTP API in protobuf ({@code application/x-protobuf} calls, a RecordIO event stream),
 * many per {@link HttpClient} event loop. Each framework sends its calls on {@code connections} persistent connections
 * besides its subscription's, in turn, each call after the previous one on its connection answered (Mesos' scheduler
 * library has one such connection, with pipelining). Each subscribes, then for every offer either launches as many
 * instant tasks of {@code taskResources} as fit (at most {@code tasksPerOffer}; one ACCEPT per offer, the rest of the
 * offer declined without a filter) while the shared task budget lasts, or declines it; while a framework has its
 * share of {@code maxInFlight} tasks awaiting their first update it keeps the offers it gets and answers them as its
 * tasks report. It acknowledges every status update that carries a uuid. It records, per task, the time from sending
 * its ACCEPT to receiving its TASK_RUNNING, and the gap between heartbeats (how late each came after the advertised
 * interval).
 *
 * <p>Tasks named {@link #FINISH} are finished by {@link InstantTasks} even on agents that keep tasks running: the
 * first {@code finishing} tasks of the budget are such tasks, the rest keep running.
 *
 * <p>Threading: each framework's events are handled on its client's I/O thread, in order; the counters are atomics,
 * the latencies a synchronized list.
 */
final class SimulatedFrameworks implements AutoCloseable {
  /** The name of a task that an agent finishes as soon as its TASK_RUNNING is acknowledged. */
  static final String FINISH = "instant-finish";
  /** The name of a task whose only update from its agent is TASK_FINISHED (no TASK_RUNNING first). */
  static final String FINISHED_AT_ONCE = "instant-finished";
  private static final String PATH = "/api/v1/scheduler";
  private static final double EPSILON = 1e-6;

  /** What the frameworks are and do. */
  record Options(int frameworks, String role, double taskCpus, double taskMem, int tasksPerOffer, int ioThreads,
      int connections, int maxInFlight) {}

  private final InetSocketAddress master;
  private final Options options;
  private final HttpClient[] clients;
  private final Framework[] frameworks;
  private final AtomicLong budget = new AtomicLong();
  private final AtomicLong finishing = new AtomicLong();
  private final Map<String, Long> acceptedNanos = new ConcurrentHashMap<>();
  private final Latencies latencies = new Latencies();
  private final Latencies heartbeatLateness = new Latencies();
  private final AtomicLong offers = new AtomicLong();
  private final AtomicLong accepts = new AtomicLong();
  private final AtomicLong declines = new AtomicLong();
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong launched = new AtomicLong();
  private final AtomicLong running = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private final AtomicLong otherStates = new AtomicLong();
  private final AtomicLong acknowledgements = new AtomicLong();
  private final AtomicLong heartbeats = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile CountDownLatch subscribed = new CountDownLatch(0);
  private volatile boolean launching;
  private volatile boolean finishAtOnce;
  /**
   * After {@link #stopLaunching()} (or once the budget is spent): offers are declined for an hour, as a framework
   * with nothing to run does.
   */
  private volatile boolean done;
  private volatile boolean recording;

  SimulatedFrameworks(InetSocketAddress master, Options options) {
    this.master = master;
    this.options = options;
    this.clients = new HttpClient[options.ioThreads()];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = new HttpClient("sim-frameworks-" + i);
    }
    this.frameworks = new Framework[options.frameworks()];
    for (int i = 0; i < frameworks.length; i++) {
      frameworks[i] = new Framework(i, clients[i % clients.length]);
    }
  }

  /** Subscribes every framework; returns once each got SUBSCRIBED. */
  void subscribeAll(Duration timeout) throws InterruptedException {
    subscribed = new CountDownLatch(frameworks.length);
    for (Framework framework : frameworks) {
      framework.subscribe();
    }
    if (!subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException((frameworks.length - subscribed.getCount()) + " of " + frameworks.length
          + " frameworks subscribed within " + timeout + "; " + errors.get() + " errors");
    }
  }

  /**
   * Launches up to {@code tasks} more tasks from the offers to come, the first {@code finishingTasks} of them named
   * {@link #FINISH}; with {@code tasks} at {@link Long#MAX_VALUE} until {@link #stopLaunching()}.
   */
  void launch(long tasks, long finishingTasks) {
    launch(tasks, finishingTasks, false);
  }

  /**
   * As {@link #launch(long, long)}; with {@code finishAtOnce} the finishing tasks are named {@link
   * #FINISHED_AT_ONCE}: their agent reports TASK_FINISHED only, one update and one acknowledgement per task instead
   * of two (builds many completed tasks faster).
   */
  void launch(long tasks, long finishingTasks, boolean finishAtOnce) {
    this.finishAtOnce = finishAtOnce;
    done = false;
    budget.set(tasks);
    finishing.set(finishingTasks);
    launching = true;
    for (Framework framework : frameworks) {
      framework.revive();
    }
  }

  /**
   * Offers are declined from now on, with a filter of an hour (a framework with nothing left to run; declined
   * without one, 20,000 agents would be offered and declined every allocation interval), until the next launch.
   */
  void stopLaunching() {
    launching = false;
    done = true;
    for (Framework framework : frameworks) {
      framework.release(); // declines what it held
    }
  }

  /** Offers held back so far because their framework had its share of tasks awaiting their first update. */
  long heldOffers() {
    return held.get();
  }

  /** Records ACCEPT -> TASK_RUNNING latencies and heartbeat lateness from now on, forgetting earlier ones. */
  void record(boolean on) {
    if (on) {
      latencies.clear();
      heartbeatLateness.clear();
    }
    recording = on;
  }

  /** An explicit reconciliation of one (unknown) task by framework {@code index}; completes with its status. */
  CompletableFuture<Integer> reconcile(int index) {
    Framework framework = frameworks[index];
    Call call = Call.newBuilder()
        .setFrameworkId(framework.id)
        .setType(Call.Type.RECONCILE)
        .setReconcile(Call.Reconcile.newBuilder().addTasks(Call.Reconcile.Task.newBuilder()
            .setTaskId(TaskID.newBuilder().setValue("bench-reconcile"))))
        .build();
    return framework.post(call).exceptionally(error -> -1);
  }

  Latencies latencies() {
    return latencies;
  }

  Latencies heartbeatLateness() {
    return heartbeatLateness;
  }

  long offers() {
    return offers.get();
  }

  long accepts() {
    return accepts.get();
  }

  long declines() {
    return declines.get();
  }

  long launched() {
    return launched.get();
  }

  long running() {
    return running.get();
  }

  long finished() {
    return finished.get();
  }

  /** Updates of other states than TASK_RUNNING and TASK_FINISHED (TASK_LOST, TASK_ERROR, ...). */
  long otherStates() {
    return otherStates.get();
  }

  long acknowledgements() {
    return acknowledgements.get();
  }

  long heartbeats() {
    return heartbeats.get();
  }

  /** Calls answered other than 202, or that failed to be sent. */
  long failedCalls() {
    return failedCalls.get();
  }

  /** ERROR and FAILURE events and broken streams. */
  long errors() {
    return errors.get();
  }

  /** Tasks launched whose TASK_RUNNING has not come yet. */
  int awaitingRunning() {
    return acceptedNanos.size();
  }

  @Override
  public void close() {
    for (Framework framework : frameworks) {
      framework.close();
    }
    for (HttpClient client : clients) {
      client.close();
    }
  }

  /** One framework: its stream and its state, touched only on its client's I/O thread once subscribed. */
  private final class Framework {
    final int index;
    final HttpClient client;
    final RecordIO.Decoder decoder = new RecordIO.Decoder(64 << 20);
    volatile FrameworkID id;
    volatile String streamId;
    volatile HttpClient.Stream stream;
    final List<CompletableFuture<HttpConnection>> calls = new ArrayList<>();
    int nextConnection;
    boolean closed;
    long nextTask;
    long lastBeatNanos;
    double heartbeatSeconds;
    /** Guarded by this. */
    boolean suppressed;
    /** Its tasks launched that have had no update yet. */
    final AtomicInteger inFlight = new AtomicInteger();
    /** Offers kept while {@link #inFlight} is at its share of the bound; guarded by itself. */
    final ArrayDeque<Offer> heldOffers = new ArrayDeque<>();

    Framework(int index, HttpClient client) {
      this.index = index;
      this.client = client;
    }

    void subscribe() {
      for (int i = 0; i < options.connections(); i++) {
        calls.add(null);
        connect(i);
      }
      FrameworkInfo info = FrameworkInfo.newBuilder()
          .setUser("bench")
          .setName("bench-framework-" + index)
          .addRoles(options.role())
          .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
          .build();
      Call call = Call.newBuilder()
          .setType(Call.Type.SUBSCRIBE)
          .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info))
          .build();
      stream = client.stream(master, "POST", PATH, Map.of("Content-Type", MediaTypes.PROTOBUF,
          "Accept", MediaTypes.PROTOBUF), call.toByteArray(), new HttpClient.StreamListener() {
            @Override
            public void onHeaders(int status, Map<String, String> headers) {
              if (status != 200) {
                errors.incrementAndGet();
                System.err.printf("framework %d: SUBSCRIBE answered %d%n", index, status);
              }
              streamId = headers.get("Mesos-Stream-Id");
            }

            @Override
            public void onData(byte[] chunk) {
              for (byte[] record : decoder.feed(chunk)) {
                try {
                  event(Event.parseFrom(record));
                } catch (InvalidProtocolBufferException e) {
                  errors.incrementAndGet();
                }
              }
            }

            @Override
            public void onClosed(Throwable cause) {
              if (cause != null || id != null) {
                errors.incrementAndGet();
              }
            }
          });
    }

    /** Opens call connection {@code slot}; when the master closes it (an idle one), the next call reopens it. */
    private synchronized void connect(int slot) {
      CompletableFuture<HttpConnection> connection = client.connect(master);
      calls.set(slot, connection);
      connection.thenAccept(c -> c.disconnected().thenRun(() -> {
        synchronized (this) {
          if (calls.get(slot) == connection && !closed) {
            calls.set(slot, null);
          }
        }
      }));
    }

    void event(Event event) {
      long now = System.nanoTime();
      switch (event.getType()) {
        case SUBSCRIBED -> {
          id = event.getSubscribed().getFrameworkId();
          heartbeatSeconds = event.getSubscribed().getHeartbeatIntervalSeconds();
          lastBeatNanos = now;
          subscribed.countDown();
        }
        case HEARTBEAT -> {
          heartbeats.incrementAndGet();
          if (recording && lastBeatNanos != 0) {
            heartbeatLateness.add(Math.max(0, now - lastBeatNanos - (long) (heartbeatSeconds * 1e9)));
          }
          lastBeatNanos = now;
        }
        case OFFERS -> {
          for (Offer offer : event.getOffers().getOffersList()) {
            offers.incrementAndGet();
            answer(offer);
          }
        }
        case UPDATE -> update(event.getUpdate().getStatus(), now);
        case ERROR, FAILURE -> errors.incrementAndGet();
        default -> { }
      }
    }

    /**
     * Launches on {@code offer}, declines it, or, when this framework has its share of {@code maxInFlight} tasks
     * awaiting their first update and more to launch, keeps it until some of them report (declining it instead
     * made the master re-offer it every allocation: tens of declines per accept).
     */
    private void answer(Offer offer) {
      synchronized (heldOffers) {
        if (mustWait()) {
          heldOffers.add(offer);
          held.incrementAndGet();
          return;
        }
      }
      int fit = launching ? fit(offer) : 0;
      List<TaskInfo> tasks = new ArrayList<>(fit);
      for (int i = 0; i < fit && budget.getAndDecrement() > 0; i++) {
        String role = offer.getAllocationInfo().getRole();
        tasks.add(TaskInfo.newBuilder()
            .setName(finishing.getAndDecrement() > 0 ? (finishAtOnce ? FINISHED_AT_ONCE : FINISH) : "instant")
            .setTaskId(TaskID.newBuilder().setValue("f" + index + "-" + nextTask++))
            .setAgentId(offer.getAgentId())
            .addResources(scalar("cpus", options.taskCpus(), role))
            .addResources(scalar("mem", options.taskMem(), role))
            .setCommand(CommandInfo.newBuilder().setValue("true"))
            .build());
      }
      Call.Builder call = Call.newBuilder().setFrameworkId(id);
      Filters noFilter = Filters.newBuilder().setRefuseSeconds(0).build();
      if (tasks.isEmpty()) {
        if (done || budget.get() <= 0) {
          suppress();
        }
        declines.incrementAndGet();
        call.setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder().addOfferIds(offer.getId())
            .setFilters(done || budget.get() <= 0 ? Filters.newBuilder().setRefuseSeconds(3600).build() : noFilter));
      } else {
        accepts.incrementAndGet();
        launched.addAndGet(tasks.size());
        inFlight.addAndGet(tasks.size());
        call.setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
            .addOfferIds(offer.getId())
            .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks)))
            .setFilters(noFilter));
        long now = System.nanoTime();
        for (TaskInfo task : tasks) {
          acceptedNanos.put(task.getTaskId().getValue(), now);
        }
      }
      post(call.build());
    }

    /**
     * With nothing left to launch: SUPPRESS once, so that the master stops offering (declining with a filter
     * alone still cost every framework one DECLINE per agent: 190,000 calls at 19,000 agents).
     */
    private void suppress() {
      synchronized (this) {
        if (suppressed || id == null) {
          return;
        }
        suppressed = true;
      }
      post(Call.newBuilder().setFrameworkId(id).setType(Call.Type.SUPPRESS).build());
    }

    /** REVIVE if suppressed: there is something to launch again. */
    void revive() {
      synchronized (this) {
        if (!suppressed || id == null) {
          return;
        }
        suppressed = false;
      }
      post(Call.newBuilder().setFrameworkId(id).setType(Call.Type.REVIVE).build());
    }

    private boolean mustWait() {
      int share = Math.max(1, options.maxInFlight() / frameworks.length);
      return launching && budget.get() > 0 && inFlight.get() >= share;
    }

    /** Answers the offers held while no longer {@link #mustWait()}. */
    void release() {
      while (true) {
        Offer next;
        synchronized (heldOffers) {
          if (heldOffers.isEmpty() || mustWait()) {
            return;
          }
          next = heldOffers.poll();
        }
        answer(next);
      }
    }

    private int fit(Offer offer) {
      double cpus = 0;
      double mem = 0;
      for (Resource r : offer.getResourcesList()) {
        if (r.getReservationsCount() == 0 && r.getType() == Value.Type.SCALAR) {
          if (r.getName().equals("cpus")) {
            cpus += r.getScalar().getValue();
          } else if (r.getName().equals("mem")) {
            mem += r.getScalar().getValue();
          }
        }
      }
      int n = (int) Math.min(Math.floor(cpus / options.taskCpus() + EPSILON),
          Math.floor(mem / options.taskMem() + EPSILON));
      return Math.max(0, Math.min(n, options.tasksPerOffer()));
    }

    private void update(TaskStatus status, long now) {
      String taskId = status.getTaskId().getValue();
      Long accepted = acceptedNanos.remove(taskId); // its first update (a task finished at once has no TASK_RUNNING)
      if (status.getState() == TaskState.TASK_RUNNING) {
        running.incrementAndGet();
        if (accepted != null && recording) {
          latencies.add(now - accepted);
        }
      } else if (status.getState() == TaskState.TASK_FINISHED) {
        finished.incrementAndGet();
      } else {
        otherStates.incrementAndGet();
      }
      if (accepted != null) {
        inFlight.decrementAndGet();
        release();
      }
      if (status.hasUuid() && !status.getUuid().isEmpty()) {
        acknowledgements.incrementAndGet();
        post(Call.newBuilder()
            .setFrameworkId(id)
            .setType(Call.Type.ACKNOWLEDGE)
            .setAcknowledge(Call.Acknowledge.newBuilder()
                .setAgentId(AgentID.newBuilder().setValue(status.getAgentId().getValue()))
                .setTaskId(status.getTaskId())
                .setUuid(ByteString.copyFrom(status.getUuid().toByteArray())))
            .build());
      }
    }

    /**
     * Sends {@code call} on the next of the framework's persistent call connections, after the calls sent on it
     * before; completes with the status, or fails unless it is 202.
     */
    CompletableFuture<Integer> post(Call call) {
      CompletableFuture<Integer> answer = new CompletableFuture<>();
      Map<String, String> headers = Map.of("Content-Type", MediaTypes.PROTOBUF, "Accept", MediaTypes.PROTOBUF,
          "Mesos-Stream-Id", streamId == null ? "" : streamId);
      CompletableFuture<HttpConnection> next;
      synchronized (this) {
        int slot = nextConnection++ % calls.size();
        if (calls.get(slot) == null) {
          connect(slot);
        }
        next = calls.get(slot);
      }
      next.whenComplete((connection, failed) -> {
        if (failed != null) {
          answer.completeExceptionally(failed);
          return;
        }
        connection.stream("POST", PATH, headers, call.toByteArray(), new CallAnswer(answer));
      });
      answer.whenComplete((status, error) -> {
        if (error != null && failedCalls.incrementAndGet() <= 5) {
          System.err.printf("framework %d: %s call: %s%n", index, call.getType(), error);
        }
      });
      return answer;
    }

    void close() {
      synchronized (this) {
        closed = true;
      }
      HttpClient.Stream s = stream;
      if (s != null) {
        s.close();
      }
      List<CompletableFuture<HttpConnection>> open;
      synchronized (this) {
        open = new ArrayList<>(calls);
      }
      open.stream().filter(c -> c != null).forEach(c -> c.thenAccept(HttpConnection::close));
    }
  }

  private static Resource scalar(String name, double value, String role) {
    return Resource.newBuilder()
        .setName(name)
        .setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value))
        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role))
        .build();
  }

}
