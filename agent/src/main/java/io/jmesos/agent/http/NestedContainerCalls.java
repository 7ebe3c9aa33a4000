package io.jmesos.agent.http;

import io.jmesos.actor.Actor;
import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.agent.executors.NestedContainers;
import io.jmesos.http.HttpResponse;
import io.jmesos.json.MesosJson;
import io.jmesos.protocol.Evolve;
import io.jmesos.http.MediaTypes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.agent.Protos.Call;
import org.apache.mesos.v1.agent.Protos.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API's nested container calls, as Mesos 1.11's agent answers them ({@code slave/http.cpp}
 * {@code launchContainer}, {@code waitContainer}, {@code killContainer}, {@code removeContainer}): the deprecated
 * {@code *_NESTED_CONTAINER} calls and their 1.11 names for a {@code ContainerID} with a parent. LAUNCH answers
 * 200 once the container runs, 202 when it was launched already, 400 with the containerizer's error (an unknown
 * or destroyed parent, a failed fetch or fork); WAIT answers 200 with the exit status once the container ends,
 * 404 for an unknown one; KILL answers 200 once signalled, 404 for an unknown or ended one; REMOVE answers 200
 * once an ended container's sandbox is gone, 500 while it runs. Standalone containers (no parent) are not
 * implemented (501).
 *
 * <p>{@link #handle} runs on a Netty thread; the work runs on the agent's actor.
 */
@SuppressWarnings("deprecation") // Mesos still serves the deprecated *_NESTED_CONTAINER calls.
final class NestedContainerCalls {
  private static final Logger LOG = LoggerFactory.getLogger(NestedContainerCalls.class);
  static final Set<Call.Type> TYPES = Set.of(
      Call.Type.LAUNCH_NESTED_CONTAINER, Call.Type.WAIT_NESTED_CONTAINER, Call.Type.KILL_NESTED_CONTAINER,
      Call.Type.REMOVE_NESTED_CONTAINER, Call.Type.LAUNCH_CONTAINER, Call.Type.WAIT_CONTAINER,
      Call.Type.REMOVE_CONTAINER);

  private final Actor actor;
  private final Supplier<NestedContainers> containers;

  NestedContainerCalls(Actor actor, Supplier<NestedContainers> containers) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.containers = Objects.requireNonNull(containers, "containers");
  }

  /** Whether {@link #handle} answers the call (KILL_CONTAINER only for a nested container). */
  static boolean handles(Call call) {
    return TYPES.contains(call.getType())
        || call.getType() == Call.Type.KILL_CONTAINER && call.getKillContainer().getContainerId().hasParent();
  }

  /** The answer to a valid nested container call, in {@code accept}. */
  CompletableFuture<HttpResponse> handle(Call call, String accept) {
    switch (call.getType()) {
      case LAUNCH_NESTED_CONTAINER:
        return launch(call.getLaunchNestedContainer().getContainerId(),
            call.getLaunchNestedContainer().getCommand());
      case LAUNCH_CONTAINER:
        return launch(call.getLaunchContainer().getContainerId(), call.getLaunchContainer().getCommand());
      case WAIT_NESTED_CONTAINER:
        return waitFor(call.getWaitNestedContainer().getContainerId(), true, accept);
      case WAIT_CONTAINER:
        return waitFor(call.getWaitContainer().getContainerId(), false, accept);
      case KILL_NESTED_CONTAINER:
        return kill(call.getKillNestedContainer().getContainerId(), call.getKillNestedContainer().hasSignal()
            ? call.getKillNestedContainer().getSignal() : 9);
      case KILL_CONTAINER:
        return kill(call.getKillContainer().getContainerId(), call.getKillContainer().hasSignal()
            ? call.getKillContainer().getSignal() : 9);
      case REMOVE_NESTED_CONTAINER:
        return remove(call.getRemoveNestedContainer().getContainerId());
      case REMOVE_CONTAINER:
        return remove(call.getRemoveContainer().getContainerId());
      default:
        throw new IllegalArgumentException("Not a nested container call: " + call.getType());
    }
  }

  private CompletableFuture<HttpResponse> launch(ContainerID id, org.apache.mesos.v1.Protos.CommandInfo command) {
    if (!id.hasParent()) {
      return standalone("LAUNCH_CONTAINER");
    }
    LOG.info("Processing LAUNCH_CONTAINER call for container '{}'", key(id));
    org.apache.mesos.Protos.CommandInfo v0 = Evolve.devolve(command, org.apache.mesos.Protos.CommandInfo.parser());
    return actor.call(() -> containers.get().launch(devolve(id), v0))
        .thenCompose(f -> f)
        .handle((launched, error) -> {
          if (error == null) {
            return launched == NestedContainers.Launched.LAUNCHED ? HttpResponse.ok() : HttpResponse.status(202);
          }
          return HttpResponse.text(400, unwrap(error).getMessage());
        });
  }

  private CompletableFuture<HttpResponse> waitFor(ContainerID id, boolean deprecated, String accept) {
    if (!id.hasParent()) {
      return standalone("WAIT_CONTAINER");
    }
    LOG.info("Processing {} call for container '{}'", deprecated ? "WAIT_NESTED_CONTAINER" : "WAIT_CONTAINER",
        key(id));
    return actor.call(() -> containers.get().waitFor(devolve(id)))
        .thenCompose(found -> {
          if (found.isEmpty()) {
            return CompletableFuture.completedFuture(
                HttpResponse.text(404, "Container " + key(id) + " cannot be found"));
          }
          return found.get().thenApply(termination -> {
            Response.Builder response = Response.newBuilder();
            if (deprecated) {
              Response.WaitNestedContainer.Builder wait = Response.WaitNestedContainer.newBuilder();
              if (termination.status() != null) {
                wait.setExitStatus(termination.status());
              }
              response.setType(Response.Type.WAIT_NESTED_CONTAINER).setWaitNestedContainer(wait);
            } else {
              Response.WaitContainer.Builder wait = Response.WaitContainer.newBuilder();
              if (termination.status() != null) {
                wait.setExitStatus(termination.status());
              }
              response.setType(Response.Type.WAIT_CONTAINER).setWaitContainer(wait);
            }
            return HttpResponse.of(200, accept, serialize(response.build(), accept));
          });
        });
  }

  private CompletableFuture<HttpResponse> kill(ContainerID id, int signal) {
    LOG.info("Processing KILL_CONTAINER call for container '{}'", key(id));
    if (signal != 9 && signal != 15) {
      return CompletableFuture.completedFuture(HttpResponse.text(400, "Unsupported signal " + signal
          + ": this agent sends SIGKILL (9, the default) or SIGTERM (15)"));
    }
    return actor.call(() -> containers.get().kill(devolve(id), signal == 9 ? Signal.KILL : Signal.TERM))
        .thenApply(found -> found ? HttpResponse.ok()
            : HttpResponse.text(404, "Container '" + key(id) + "' cannot be found (or is already killed)"));
  }

  private CompletableFuture<HttpResponse> remove(ContainerID id) {
    if (!id.hasParent()) {
      return standalone("REMOVE_CONTAINER");
    }
    LOG.info("Processing REMOVE_CONTAINER call for container '{}'", key(id));
    return actor.call(() -> containers.get().remove(devolve(id)))
        .thenCompose(f -> f)
        .handle((done, error) -> error == null ? HttpResponse.ok()
            : HttpResponse.text(500, unwrap(error).getMessage()));
  }

  private static CompletableFuture<HttpResponse> standalone(String type) {
    return CompletableFuture.completedFuture(HttpResponse.text(501, "Call type " + type
        + " for a standalone container (a ContainerID without a parent) is not implemented yet"));
  }

  private static org.apache.mesos.Protos.ContainerID devolve(ContainerID id) {
    return Evolve.devolve(id, org.apache.mesos.Protos.ContainerID.parser());
  }

  private static String key(ContainerID id) {
    return id.hasParent() ? key(id.getParent()) + "." + id.getValue() : id.getValue();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static byte[] serialize(Response response, String accept) {
    return accept.equals(MediaTypes.JSON) ? MesosJson.printBytes(response) : response.toByteArray();
  }
}
