package io.jmesos.agent.executors;

import io.jmesos.agent.checkpoint.AgentCheckpoint;
import io.jmesos.agent.checkpoint.UpdatesFile;
import io.jmesos.agent.status.StreamLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the executor bookkeeping checkpoints, in Mesos' layout under {@code <work_dir>/meta}, for frameworks that
 * ask for it ({@code FrameworkInfo.checkpoint}); for the others every method does nothing. Each write is on disk
 * when the method returns, so callers write before they act on what is recorded (launch, forward, acknowledge).
 * A failed write is an {@link UncheckedIOException}: the agent cannot keep its promise to recover that state.
 *
 * <p>Not thread-safe: used on the agent's actor (the writes block on fsync, as Mesos' agent does).
 */
final class Checkpointer {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  private final AgentContext ctx;
  private final AgentCheckpoint store;

  Checkpointer(AgentContext ctx, AgentCheckpoint store) {
    this.ctx = ctx;
    this.store = store;
  }

  static boolean checkpoints(FrameworkState fw) {
    return fw.info().getCheckpoint();
  }

  /** The framework's info and pid (none: it speaks HTTP or the agent never learnt it). */
  void framework(FrameworkState fw) {
    if (checkpoints(fw)) {
      write("framework " + fw.id().getValue(), () -> store.framework(ctx.slaveId(), fw.info(), ""));
    }
  }

  /** A new executor and its run: executor.info, the run directory, and whether it speaks HTTP. */
  void executor(FrameworkState fw, ExecutorState ex) {
    if (checkpoints(fw)) {
      write(ex.toString(), () -> {
        store.executor(ctx.slaveId(), fw.id(), ex.info(), ex.isCommandExecutor());
        store.run(ctx.slaveId(), fw.id(), ex.id(), ex.container().id(), ex.embedded == null);
      });
    }
  }

  void forkedPid(FrameworkState fw, ExecutorState ex, long pid) {
    if (checkpoints(fw)) {
      write("pid of " + ex, () -> store.forkedPid(ctx.slaveId(), fw.id(), ex.id(), ex.container().id(), pid));
    }
  }

  /** A task given to the executor (queued or launched), as Mesos checkpoints it: the Task, in task.info. */
  void task(FrameworkState fw, ExecutorState ex, Task task) {
    if (checkpoints(fw)) {
      write("task " + task.getTaskId().getValue(),
          () -> store.task(ctx.slaveId(), fw.id(), ex.id(), ex.container().id(), task));
    }
  }

  /** Where the task's status update stream is checkpointed, or null when the framework does not checkpoint. */
  StreamLog streamLog(FrameworkState fw, ExecutorState ex, TaskID taskId) {
    if (fw == null || !checkpoints(fw)) {
      return null;
    }
    try {
      return log(store.updates(ctx.slaveId(), fw.id(), ex.id(), ex.container().id(), taskId));
    } catch (IOException e) {
      LOG.error("Failed to open the status update stream of task {} of framework {}: {}", taskId.getValue(),
          fw.id().getValue(), e.getMessage());
      throw new UncheckedIOException(e);
    }
  }

  /** A {@link StreamLog} over an open {@code task.updates} file. */
  static StreamLog log(UpdatesFile file) {
    return new StreamLog() {
      @Override
      public void append(io.jmesos.internal.Messages.StatusUpdateRecord record) throws IOException {
        file.append(record);
      }

      @Override
      public void close() {
        file.close();
      }
    };
  }

  /** The executor is completed: the sentinel tells a restarted agent not to recover it. */
  void completed(FrameworkState fw, ExecutorState ex) {
    if (checkpoints(fw)) {
      write("sentinel of " + ex, () -> store.sentinel(ctx.slaveId(), fw.id(), ex.id(), ex.container().id()));
    }
  }

  private interface Write {
    void run() throws IOException;
  }

  private static void write(String what, Write write) {
    try {
      write.run();
    } catch (IOException e) {
      LOG.error("Failed to checkpoint {}: {}", what, e.getMessage());
      throw new UncheckedIOException("Failed to checkpoint " + what, e);
    }
  }
}
