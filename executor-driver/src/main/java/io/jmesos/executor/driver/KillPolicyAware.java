package io.jmesos.executor.driver;

import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.Protos.KillPolicy;
import org.apache.mesos.Protos.TaskID;

/**
 * An {@link org.apache.mesos.Executor} that wants the kill policy a v1 {@code KILL} event may carry (the
 * v0 {@code killTask} callback has no room for it). The driver calls this method instead of {@code
 * killTask} when the event has a kill policy; Mesos' command executor lets it override the task's own.
 */
public interface KillPolicyAware {
  void killTask(ExecutorDriver driver, TaskID taskId, KillPolicy killPolicy);
}
