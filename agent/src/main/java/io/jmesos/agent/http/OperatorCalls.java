package io.jmesos.agent.http;

import io.jmesos.agent.executors.ExecutorManager;
import io.jmesos.agent.executors.ExecutorState;
import io.jmesos.agent.executors.FrameworkState;
import io.jmesos.agent.executors.NestedContainers;
import io.jmesos.protocol.Evolve;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ContainerStatus;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Flag;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Metric;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.agent.Protos.Call;
import org.apache.mesos.v1.agent.Protos.Response;

/**
 * The agent's operator API calls that read state, answered as Mesos 1.11's {@code slave/http.cpp} builds
 * them, from the agent's own bookkeeping (v0 messages, evolved to v1). An explicit table maps each implemented
 * call type to its handler; the others are not implemented.
 *
 * <p>{@link #handle} must run on the agent's actor; {@link #implemented} is immutable and thread-safe.
 */
final class OperatorCalls {
  private final ExecutorManager executors;
  private final Supplier<SlaveInfo> slaveInfo;
  private Supplier<List<org.apache.mesos.Protos.Operation>> operations = List::of;
  private final Map<String, String> flags;
  private final Supplier<SortedMap<String, Double>> metrics;
  private final Map<Call.Type, Function<Call, Response>> handlers = new EnumMap<>(Call.Type.class);

  /**
   * @param flags every agent flag that has a value, as text
   * @param metrics the {@code /metrics/snapshot} values, read on the actor
   */
  OperatorCalls(ExecutorManager executors, Supplier<SlaveInfo> slaveInfo, Map<String, String> flags,
      Supplier<SortedMap<String, Double>> metrics) {
    this.executors = Objects.requireNonNull(executors, "executors");
    this.slaveInfo = Objects.requireNonNull(slaveInfo, "slaveInfo");
    this.flags = Collections.unmodifiableSortedMap(new TreeMap<>(flags));
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    handlers.put(Call.Type.GET_HEALTH, this::getHealth);
    handlers.put(Call.Type.GET_FLAGS, this::getFlags);
    handlers.put(Call.Type.GET_VERSION, this::getVersion);
    handlers.put(Call.Type.GET_METRICS, this::getMetrics);
    handlers.put(Call.Type.GET_STATE, this::getState);
    handlers.put(Call.Type.GET_CONTAINERS, this::getContainers);
    handlers.put(Call.Type.GET_FRAMEWORKS, this::getFrameworks);
    handlers.put(Call.Type.GET_EXECUTORS, this::getExecutors);
    handlers.put(Call.Type.GET_TASKS, this::getTasks);
    handlers.put(Call.Type.GET_AGENT, this::getAgent);
    handlers.put(Call.Type.GET_LOGGING_LEVEL, call -> Response.newBuilder().setType(Response.Type.GET_LOGGING_LEVEL)
        .setGetLoggingLevel(Response.GetLoggingLevel.newBuilder()
            .setLevel(io.jmesos.logging.LoggingLevels.process().level())).build());
    handlers.put(Call.Type.GET_OPERATIONS, this::getOperations);
    // jmesos agents have no resource providers: the list Mesos' agent would give is empty.
    handlers.put(Call.Type.GET_RESOURCE_PROVIDERS, call -> Response.newBuilder()
        .setType(Response.Type.GET_RESOURCE_PROVIDERS)
        .setGetResourceProviders(Response.GetResourceProviders.getDefaultInstance()).build());
  }

  /** The offer operations GET_OPERATIONS lists (those not acknowledged yet); none unless set. On the actor. */
  void operations(Supplier<List<org.apache.mesos.Protos.Operation>> operations) {
    this.operations = Objects.requireNonNull(operations, "operations");
  }

  private Response getOperations(Call call) {
    Response.GetOperations.Builder list = Response.GetOperations.newBuilder();
    for (org.apache.mesos.Protos.Operation op : operations.get()) {
      list.addOperations(Evolve.evolve(op, org.apache.mesos.v1.Protos.Operation.parser()));
    }
    return Response.newBuilder().setType(Response.Type.GET_OPERATIONS).setGetOperations(list).build();
  }

  /**
   * KILL_CONTAINER, on the actor: true when an executor's live container was signalled ({@code signal} is 9 or
   * 15, checked by the caller).
   */
  boolean killContainer(Call.KillContainer kill, int signal) {
    org.apache.mesos.Protos.ContainerID id =
        Evolve.devolve(kill.getContainerId(), org.apache.mesos.Protos.ContainerID.parser());
    return executors.killContainer(id, signal == 9 ? io.jmesos.agent.containers.Launcher.Signal.KILL
        : io.jmesos.agent.containers.Launcher.Signal.TERM);
  }

  /** The agent's nested containers. On the actor. */
  NestedContainers nestedContainers() {
    return executors.nestedContainers();
  }

  /** The call types {@link #handle} answers. */
  Set<Call.Type> implemented() {
    return Collections.unmodifiableSet(handlers.keySet());
  }

  /** Answers a valid call of an implemented type. On the actor. */
  Response handle(Call call) {
    Function<Call, Response> handler = handlers.get(call.getType());
    if (handler == null) {
      throw new IllegalArgumentException("Call type " + call.getType() + " is not implemented");
    }
    return handler.apply(call);
  }

  /**
   * As {@link #handle(Call)}, for a reader that may see only part of the state, as Mesos' agent filters its
   * reads: GET_STATE, GET_FRAMEWORKS, GET_EXECUTORS, GET_TASKS (view_frameworks, view_executors, view_tasks) and
   * GET_CONTAINERS (view_containers) leave out what {@code filter} hides. On the actor.
   */
  Response handle(Call call, ViewFilter filter) {
    if (filter == ViewFilter.ALL) {
      return handle(call);
    }
    switch (call.getType()) {
      case GET_STATE:
        return Response.newBuilder().setType(Response.Type.GET_STATE).setGetState(Response.GetState.newBuilder()
            .setGetTasks(tasks(filter)).setGetExecutors(executors(filter)).setGetFrameworks(frameworks(filter)))
            .build();
      case GET_FRAMEWORKS:
        return Response.newBuilder().setType(Response.Type.GET_FRAMEWORKS).setGetFrameworks(frameworks(filter))
            .build();
      case GET_EXECUTORS:
        return Response.newBuilder().setType(Response.Type.GET_EXECUTORS).setGetExecutors(executors(filter))
            .build();
      case GET_TASKS:
        return Response.newBuilder().setType(Response.Type.GET_TASKS).setGetTasks(tasks(filter)).build();
      case GET_CONTAINERS:
        return containers(call, filter);
      default:
        return handle(call);
    }
  }

  private Response getHealth(Call call) {
    return Response.newBuilder().setType(Response.Type.GET_HEALTH)
        .setGetHealth(Response.GetHealth.newBuilder().setHealthy(true)).build();
  }

  /** Sorted by name, as Mesos builds the list from a JSON object. */
  private Response getFlags(Call call) {
    Response.GetFlags.Builder getFlags = Response.GetFlags.newBuilder();
    flags.forEach((name, value) -> getFlags.addFlags(Flag.newBuilder().setName(name).setValue(value)));
    return Response.newBuilder().setType(Response.Type.GET_FLAGS).setGetFlags(getFlags).build();
  }

  private Response getVersion(Call call) {
    return Response.newBuilder().setType(Response.Type.GET_VERSION)
        .setGetVersion(Response.GetVersion.newBuilder()
            .setVersionInfo(io.jmesos.BuildInfo.get().versionInfo(StateEndpoints.VERSION)))
        .build();
  }

  /** The snapshot is taken at once: {@code get_metrics.timeout} has nothing to wait for. */
  private Response getMetrics(Call call) {
    Response.GetMetrics.Builder getMetrics = Response.GetMetrics.newBuilder();
    metrics.get().forEach((name, value) -> getMetrics.addMetrics(Metric.newBuilder().setName(name).setValue(value)));
    return Response.newBuilder().setType(Response.Type.GET_METRICS).setGetMetrics(getMetrics).build();
  }

  private Response getAgent(Call call) {
    return Response.newBuilder().setType(Response.Type.GET_AGENT)
        .setGetAgent(Response.GetAgent.newBuilder()
            .setAgentInfo(Evolve.evolve(slaveInfo.get(), AgentInfo.parser())))
        .build();
  }

  private Response getState(Call call) {
    return Response.newBuilder().setType(Response.Type.GET_STATE)
        .setGetState(Response.GetState.newBuilder()
            .setGetTasks(tasks())
            .setGetExecutors(executors())
            .setGetFrameworks(frameworks()))
        .build();
  }

  private Response getFrameworks(Call call) {
    return Response.newBuilder().setType(Response.Type.GET_FRAMEWORKS).setGetFrameworks(frameworks()).build();
  }

  private Response getExecutors(Call call) {
    return Response.newBuilder().setType(Response.Type.GET_EXECUTORS).setGetExecutors(executors()).build();
  }

  private Response getTasks(Call call) {
    return Response.newBuilder().setType(Response.Type.GET_TASKS).setGetTasks(tasks()).build();
  }

  /**
   * One entry per executor container that has not terminated, as Mesos lists them for GET_CONTAINERS: ids,
   * the executor's name and the container's status (its id and, once launched, the executor's pid); the
   * operator API adds the resource statistics, measured off the actor. With {@code show_nested}, the running
   * nested containers follow, each under its root executor's ids, its {@code container_id} naming its parent. No
   * standalone containers exist, so {@code show_standalone} changes nothing.
   */
  private Response getContainers(Call call) {
    return containers(call, ViewFilter.ALL);
  }

  private Response containers(Call call, ViewFilter filter) {
    Response.GetContainers.Builder getContainers = Response.GetContainers.newBuilder();
    java.util.Map<String, FrameworkState> frameworks = new java.util.HashMap<>();
    for (FrameworkState fw : executors.frameworks()) {
      frameworks.put(fw.id().getValue(), fw);
      for (ExecutorState ex : fw.executors()) {
        if (ex.state() == ExecutorState.State.TERMINATED || !filter.container(ex.info(), fw.info())) {
          continue;
        }
        ContainerID containerId = Evolve.evolve(ex.container().id(), ContainerID.parser());
        ContainerStatus.Builder status = ContainerStatus.newBuilder().setContainerId(containerId);
        long pid = ex.container().pid();
        if (pid > 0) {
          status.setExecutorPid((int) pid);
        }
        getContainers.addContainers(Response.GetContainers.Container.newBuilder()
            .setFrameworkId(Evolve.evolve(ex.info().getFrameworkId(), FrameworkID.parser()))
            .setExecutorId(Evolve.evolve(ex.id(), ExecutorID.parser()))
            .setExecutorName(ex.info().getName())
            .setContainerId(containerId)
            .setContainerStatus(status));
      }
    }
    if (call.hasGetContainers() && call.getGetContainers().getShowNested()) {
      for (NestedContainers.View nested : executors.nestedContainers().views()) {
        FrameworkState framework = frameworks.get(nested.root().frameworkId().getValue());
        if (framework == null || !filter.container(nested.root().info(), framework.info())) {
          continue;
        }
        ContainerID containerId = Evolve.evolve(nested.id(), ContainerID.parser());
        ContainerStatus.Builder status = ContainerStatus.newBuilder().setContainerId(containerId);
        if (nested.pid() > 0) {
          status.setExecutorPid((int) nested.pid());
        }
        getContainers.addContainers(Response.GetContainers.Container.newBuilder()
            .setFrameworkId(Evolve.evolve(nested.root().info().getFrameworkId(), FrameworkID.parser()))
            .setExecutorId(Evolve.evolve(nested.root().id(), ExecutorID.parser()))
            .setExecutorName(nested.root().info().getName())
            .setContainerId(containerId)
            .setContainerStatus(status));
      }
    }
    return Response.newBuilder().setType(Response.Type.GET_CONTAINERS).setGetContainers(getContainers).build();
  }

  private Response.GetFrameworks frameworks() {
    return frameworks(ViewFilter.ALL);
  }

  private Response.GetFrameworks frameworks(ViewFilter filter) {
    Response.GetFrameworks.Builder getFrameworks = Response.GetFrameworks.newBuilder();
    for (FrameworkState fw : executors.frameworks()) {
      if (filter.framework(fw.info())) {
        getFrameworks.addFrameworks(Response.GetFrameworks.Framework.newBuilder().setFrameworkInfo(info(fw)));
      }
    }
    for (FrameworkState fw : executors.completedFrameworks()) {
      if (!filter.framework(fw.info())) {
        continue;
      }
      getFrameworks.addCompletedFrameworks(
          Response.GetFrameworks.Framework.newBuilder().setFrameworkInfo(info(fw)));
    }
    return getFrameworks.build();
  }

  /** The live and completed executors of the live frameworks, then of the completed ones. */
  private Response.GetExecutors executors() {
    return executors(ViewFilter.ALL);
  }

  private Response.GetExecutors executors(ViewFilter filter) {
    Response.GetExecutors.Builder getExecutors = Response.GetExecutors.newBuilder();
    for (FrameworkState fw : allFrameworks(filter)) {
      for (ExecutorState ex : fw.executors()) {
        if (filter.executor(ex.info(), fw.info())) {
          getExecutors.addExecutors(Response.GetExecutors.Executor.newBuilder().setExecutorInfo(info(ex)));
        }
      }
      for (ExecutorState ex : fw.completedExecutors()) {
        if (filter.executor(ex.info(), fw.info())) {
          getExecutors.addCompletedExecutors(
              Response.GetExecutors.Executor.newBuilder().setExecutorInfo(info(ex)));
        }
      }
    }
    return getExecutors.build();
  }

  /**
   * Mesos' five task lists. {@code pending_tasks} stays empty: the agent hands every task to its executor's
   * queue as soon as it arrives (Mesos keeps tasks pending while it authorizes them and unschedules their
   * directories from garbage collection; this agent does neither).
   */
  private Response.GetTasks tasks() {
    return tasks(ViewFilter.ALL);
  }

  private Response.GetTasks tasks(ViewFilter filter) {
    Response.GetTasks.Builder getTasks = Response.GetTasks.newBuilder();
    for (FrameworkState fw : allFrameworks(filter)) {
      org.apache.mesos.Protos.FrameworkInfo info = fw.info();
      List<ExecutorState> all = new ArrayList<>(fw.executors());
      all.addAll(fw.completedExecutors());
      for (ExecutorState ex : all) {
        for (TaskInfo queued : ex.queuedTasks()) {
          if (filter.task(queued, info)) {
            getTasks.addQueuedTasks(task(executors.queuedTask(ex, queued)));
          }
        }
        ex.liveTasks().stream().filter(t -> filter.task(t, info)).forEach(t -> getTasks.addLaunchedTasks(task(t)));
        ex.terminatedTasks().stream().filter(t -> filter.task(t, info))
            .forEach(t -> getTasks.addTerminatedTasks(task(t)));
        ex.completedTasks().stream().filter(t -> filter.task(t, info))
            .forEach(t -> getTasks.addCompletedTasks(task(t)));
      }
    }
    return getTasks.build();
  }

  /** The live frameworks, then the completed ones, that {@code filter}'s reader may view. */
  private List<FrameworkState> allFrameworks(ViewFilter filter) {
    List<FrameworkState> all = new ArrayList<>(executors.frameworks());
    all.addAll(executors.completedFrameworks());
    all.removeIf(fw -> !filter.framework(fw.info()));
    return all;
  }

  private static FrameworkInfo info(FrameworkState fw) {
    return Evolve.evolve(fw.info(), FrameworkInfo.parser());
  }

  private static ExecutorInfo info(ExecutorState ex) {
    return Evolve.evolve(ex.info(), ExecutorInfo.parser());
  }

  private static Task task(org.apache.mesos.Protos.Task task) {
    return Evolve.evolve(task, Task.parser());
  }
}
