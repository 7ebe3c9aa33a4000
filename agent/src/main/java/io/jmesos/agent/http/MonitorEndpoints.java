package io.jmesos.agent.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.actor.Actor;
import io.jmesos.agent.containers.Containerizer;
import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.agent.executors.ExecutorManager;
import io.jmesos.agent.executors.ExecutorState;
import io.jmesos.agent.executors.FrameworkState;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpResponse;
import io.jmesos.json.MesosJson;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.mesos.Protos.ResourceStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' {@code /monitor/statistics} on the agent: a JSON array with one entry per running executor (its
 * ids, name, source and the containerizer's {@code ResourceStatistics}). The list of containers is taken on
 * the agent's actor; their usage is read from the cgroups and /proc on the blocking pool.
 *
 * <p>Thread-safe: the handler only enqueues.
 */
public final class MonitorEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorEndpoints.class);

  private final Actor actor;
  private final ExecutorManager executors;
  private final Containerizer containerizer;
  private final Executor blocking;

  public MonitorEndpoints(Actor actor, ExecutorManager executors, Containerizer containerizer, Executor blocking) {
    this.actor = Objects.requireNonNull(actor);
    this.executors = Objects.requireNonNull(executors);
    this.containerizer = Objects.requireNonNull(containerizer);
    this.blocking = Objects.requireNonNull(blocking);
  }

  public HttpHandler statistics() {
    return (request, responder) -> StateEndpoints.answerJson(request, responder,
        actor.call(this::running).thenApplyAsync(this::render, blocking));
  }

  /**
   * Mesos' {@code /containers}: one entry per running executor container ({@code framework_id},
   * {@code executor_id}, {@code executor_name}, {@code source}, {@code container_id}, {@code status} as a
   * {@code ContainerStatus}, {@code statistics} as a {@code ResourceStatistics} when they could be read), filtered
   * by Mesos' query parameters: {@code container_id} alone, {@code framework_id} alone, or {@code executor_id}
   * with {@code framework_id}; other combinations are answered 400 with Mesos' message.
   */
  public HttpHandler containers() {
    return containers(io.jmesos.security.authz.Authorizer.ALLOW_ALL);
  }

  /** As {@link #containers()}, listing only the containers the reader may view (view_containers), as Mesos. */
  public HttpHandler containers(io.jmesos.security.authz.Authorizer authorizer) {
    return (request, responder) -> {
      ViewFilter filter = ViewFilter.of(authorizer, java.util.Optional.ofNullable(request.principal()));
      String containerId = request.param("container_id");
      String frameworkId = request.param("framework_id");
      String executorId = request.param("executor_id");
      if ((containerId != null && (executorId != null || frameworkId != null))
          || (containerId == null && executorId != null && frameworkId == null)) {
        responder.respond(HttpResponse.text(400, "Supported query parameters are container_id only,"
            + " framework_id only, or executor_id and framework_id only"));
        return;
      }
      StateEndpoints.answerJson(request, responder, actor.call(() -> running(filter))
          .thenApplyAsync(running -> renderContainers(running, containerId, frameworkId, executorId), blocking));
    };
  }

  @SuppressWarnings("deprecation") // Mesos' /containers still shows ExecutorInfo.source.
  private String renderContainers(List<Running> running, String containerId, String frameworkId,
      String executorId) {
    ArrayNode array = JsonModel.JSON.arrayNode();
    for (Running r : running) {
      String id = r.executor().container().id().getValue();
      if ((containerId != null && !containerId.equals(id))
          || (frameworkId != null && !frameworkId.equals(r.frameworkId()))
          || (executorId != null && !executorId.equals(r.executor().id().getValue()))) {
        continue;
      }
      ObjectNode entry = array.addObject();
      entry.put("framework_id", r.frameworkId());
      entry.put("executor_id", r.executor().id().getValue());
      entry.put("executor_name", r.executor().info().getName());
      entry.put("source", r.executor().info().getSource());
      entry.put("container_id", id);
      ObjectNode status = entry.putObject("status");
      status.putObject("container_id").put("value", id);
      status.put("executor_pid", r.pid());
      try {
        entry.set("statistics", MesosJson.toTree(containerizer.usage(r.cgroups(), r.pid(), r.resources(),
            r.timestamp())));
      } catch (IOException | RuntimeException e) {
        LOG.warn("Failed to get resource statistics for executor '{}' of framework {}: {}",
            r.executor().id().getValue(), r.frameworkId(), e.toString());
      }
    }
    return array.toString();
  }

  /** Usage of every running executor, read off the actor; used by the operator API too. */
  public CompletableFuture<List<Usage>> usage() {
    return actor.call(this::running).thenApplyAsync(this::measure, blocking);
  }

  /** What the usage of one executor's container is read from, taken on the actor. */
  private record Running(ExecutorState executor, String frameworkId, ContainerCgroups cgroups, long pid,
      Resources resources, double timestamp) {}

  /** One executor's usage. */
  public record Usage(ExecutorState executor, String frameworkId, ResourceStatistics statistics) {}

  private List<Running> running() {
    return running(ViewFilter.ALL);
  }

  /** The running executor containers {@code filter}'s reader may view. On the actor. */
  private List<Running> running(ViewFilter filter) {
    List<Running> running = new ArrayList<>();
    double now = actor.clock().currentTimeSeconds();
    for (FrameworkState fw : executors.frameworks()) {
      for (ExecutorState ex : fw.executors()) {
        long pid = ex.container().pid();
        if (ex.state() != ExecutorState.State.TERMINATED && pid > 0 && filter.container(ex.info(), fw.info())) {
          running.add(new Running(ex, fw.id().getValue(), ex.container().cgroups(), pid, ex.container().resources(),
              now));
        }
      }
    }
    return running;
  }

  private List<Usage> measure(List<Running> running) {
    List<Usage> usage = new ArrayList<>();
    for (Running r : running) {
      try {
        usage.add(new Usage(r.executor(), r.frameworkId(),
            containerizer.usage(r.cgroups(), r.pid(), r.resources(), r.timestamp())));
      } catch (IOException | RuntimeException e) {
        // The container may have gone between the two steps; Mesos skips containers it cannot measure.
        LOG.debug("Skipping the usage of {}: {}", r.executor(), e.toString());
      }
    }
    return usage;
  }

  @SuppressWarnings("deprecation") // Mesos' statistics still show ExecutorInfo.source.
  private String render(List<Running> running) {
    ArrayNode array = JsonModel.JSON.arrayNode();
    for (Usage u : measure(running)) {
      ObjectNode entry = array.addObject();
      entry.put("executor_id", u.executor().id().getValue());
      entry.put("executor_name", u.executor().info().getName());
      entry.put("framework_id", u.frameworkId());
      entry.put("source", u.executor().info().getSource());
      entry.set("statistics", MesosJson.toTree(u.statistics()));
    }
    return array.toString();
  }
}
