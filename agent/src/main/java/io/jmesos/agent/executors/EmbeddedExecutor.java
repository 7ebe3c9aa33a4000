package io.jmesos.agent.executors;

import io.jmesos.agent.status.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.executor.Protos.Call;
import org.slf4j.Logger;

/**
 * What the executors played inside the agent ({@link EmbeddedCommandExecutor}, {@link EmbeddedDefaultExecutor})
 * share as the channel of their executor: open until closed, the callbacks run once at close, and the calls they
 * make as the executor library would (SUBSCRIBE once forked, UPDATEs with a fresh uuid). On the agent's actor.
 */
abstract class EmbeddedExecutor implements ExecutorChannel {
  final ExecutorCalls calls;
  final ExecutorState ex;
  private final List<Runnable> onClose = new ArrayList<>();
  private boolean open = true;

  EmbeddedExecutor(ExecutorCalls calls, ExecutorState ex) {
    this.calls = calls;
    this.ex = ex;
  }

  /** Where this executor logs. */
  abstract Logger log();

  /** Called once, at the start of {@link #close}, before the close callbacks run. */
  void closing() {}

  @Override
  public final boolean isOpen() {
    return open;
  }

  @Override
  public final void close() {
    if (!open) {
      return;
    }
    open = false;
    closing();
    List<Runnable> callbacks = new ArrayList<>(onClose);
    onClose.clear();
    callbacks.forEach(Runnable::run);
  }

  @Override
  public final void onClose(Runnable callback) {
    if (open) {
      onClose.add(callback);
    } else {
      callback.run();
    }
  }

  /** The executor's process started: it subscribes, as the executor would once running. */
  final void subscribe() {
    Call subscribe = call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance()).build();
    calls.handle(subscribe, () -> this).ifPresent(r -> log().warn("{} could not subscribe: {}", ex, r.message()));
  }

  /**
   * An UPDATE call as the executor library sends it: a fresh uuid, the executor as source.
   *
   * @return the status sent
   */
  final TaskStatus sendUpdate(TaskStatus.Builder update) {
    TaskStatus status = update
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
        .setExecutorId(ex.id())
        .setUuid(Tasks.newUuid())
        .build();
    Optional<ExecutorCalls.Rejection> rejected = calls.handle(
        call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(status)).build(), () -> this);
    rejected.ifPresent(r -> log().warn("{} for task {} of {} was refused: {}", status.getState(),
        status.getTaskId().getValue(), ex, r.message()));
    return status;
  }

  final Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(ex.frameworkId()).setExecutorId(ex.id());
  }
}
