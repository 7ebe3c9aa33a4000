package io.jmesos.agent.executors;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.mesos.executor.Protos.Call;

/**
 * Executor API calls that passed validation, applied on the agent's actor as Mesos' agent applies them:
 * the framework and executor must exist (400 otherwise), an executor must subscribe before anything else
 * (403), SUBSCRIBE opens the event stream, UPDATE feeds the status update manager, MESSAGE goes to the
 * framework.
 *
 * <p>Not thread-safe: call on the agent's actor.
 */
public final class ExecutorCalls {
  private final ExecutorManager manager;

  public ExecutorCalls(ExecutorManager manager) {
    this.manager = manager;
  }

  /** Why a call was refused: the HTTP status and message Mesos answers with. */
  public record Rejection(int status, String message) {}

  /**
   * Applies the call. For SUBSCRIBE, {@code openStream} is called to start the 200 event stream; for the
   * other calls an empty result means 202 Accepted.
   */
  public Optional<Rejection> handle(Call call, Supplier<ExecutorChannel> openStream) {
    return handle(call, null, openStream);
  }

  /**
   * As above, for a request that authenticated with a token's {@code claims} (null: the executor realm does not
   * require authentication): the claims must name the call's framework, executor and the executor's container,
   * else {@code 403} with Mesos' message.
   */
  public Optional<Rejection> handle(Call call, Map<String, String> claims, Supplier<ExecutorChannel> openStream) {
    manager.ctx.actor.assertInActorThread();
    if (!manager.hasFramework(call.getFrameworkId())) {
      return Optional.of(new Rejection(400, "Framework cannot be found"));
    }
    ExecutorState ex = manager.executor(call.getFrameworkId(), call.getExecutorId());
    if (ex == null) {
      return Optional.of(new Rejection(400, "Executor cannot be found"));
    }
    if (claims != null) {
      Optional<String> mismatch = verifyClaims(claims, call, ex.container().id().getValue());
      if (mismatch.isPresent()) {
        return Optional.of(new Rejection(403, mismatch.get()));
      }
    }
    if (ex.state() == ExecutorState.State.REGISTERING && call.getType() != Call.Type.SUBSCRIBE) {
      return Optional.of(new Rejection(403, "Executor is not subscribed"));
    }
    switch (call.getType()) {
      case SUBSCRIBE: {
        ExecutorChannel channel = openStream.get();
        channel.onClose(() -> manager.ctx.actor.execute(() -> manager.sessions.disconnected(ex, channel)));
        manager.sessions.subscribe(ex, channel, call.getSubscribe());
        return Optional.empty();
      }
      case UPDATE: {
        Optional<String> error = manager.sessions.update(ex, call.getUpdate().getStatus());
        if (error.isPresent()) {
          manager.ctx.metrics.invalidStatusUpdates++;
          return Optional.of(new Rejection(400, error.get()));
        }
        return Optional.empty();
      }
      case MESSAGE:
        manager.sessions.executorMessage(ex, call.getMessage().getData());
        return Optional.empty();
      case HEARTBEAT:
        return Optional.empty();
      default:
        return Optional.of(new Rejection(400, "Unsupported call type " + call.getType()));
    }
  }

  /** Mesos' {@code verifyExecutorClaims}: the token must be this executor's, in its current container. */
  static Optional<String> verifyClaims(Map<String, String> claims, Call call, String containerId) {
    String principal = io.jmesos.security.Jwt.describe(claims);
    if (!call.getFrameworkId().getValue().equals(claims.get("fid"))) {
      return Optional.of("Authenticated principal '" + principal + "' does not contain an 'fid' claim with the "
          + "framework ID " + call.getFrameworkId().getValue() + ", which is set in the call");
    }
    if (!call.getExecutorId().getValue().equals(claims.get("eid"))) {
      return Optional.of("Authenticated principal '" + principal + "' does not contain an 'eid' claim with the "
          + "executor ID " + call.getExecutorId().getValue() + ", which is set in the call");
    }
    if (!containerId.equals(claims.get("cid"))) {
      return Optional.of("Authenticated principal '" + principal + "' does not contain a 'cid' claim with the "
          + "correct active ContainerID");
    }
    return Optional.empty();
  }
}
