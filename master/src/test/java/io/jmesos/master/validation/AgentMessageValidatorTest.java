package io.jmesos.master.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.resources.Resources;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.Test;

/** Mesos' checks of RegisterSlaveMessage and ReregisterSlaveMessage, with its messages. */
class AgentMessageValidatorTest {
  private static final SlaveID AGENT = SlaveID.newBuilder().setValue("S1").build();
  private static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue("F1").build();
  private static final SlaveInfo INFO = SlaveInfo.newBuilder().setId(AGENT).setHostname("h")
      .addAllResources(Resources.parse("cpus:1;mem:64", "*").toList()).build();

  private static ReregisterSlaveMessage.Builder valid() {
    return ReregisterSlaveMessage.newBuilder()
        .setSlave(INFO)
        .addFrameworks(FrameworkInfo.newBuilder().setId(FRAMEWORK).setName("f").setUser("u"))
        .addExecutorInfos(ExecutorInfo.newBuilder().setFrameworkId(FRAMEWORK)
            .setExecutorId(ExecutorID.newBuilder().setValue("e1")))
        .addTasks(task("t1").setExecutorId(ExecutorID.newBuilder().setValue("e1")));
  }

  private static Task.Builder task(String id) {
    return Task.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id)).setFrameworkId(FRAMEWORK)
        .setSlaveId(AGENT).setState(TaskState.TASK_RUNNING);
  }

  @Test
  void aConsistentReregistrationIsValid() {
    assertThat(AgentMessageValidator.reregisterSlave(valid().build())).isEmpty();
  }

  @Test
  void reregistrationsThatDoNotHangTogetherAreRefused() {
    assertThat(AgentMessageValidator.reregisterSlave(valid().setSlave(INFO.toBuilder().clearId()).build()))
        .contains("Agent re-registered without an agent id");
    assertThat(AgentMessageValidator.reregisterSlave(valid().addTasks(task("t2")
        .setSlaveId(SlaveID.newBuilder().setValue("other"))).build()))
        .contains("Task has an invalid SlaveID 'other'");
    assertThat(AgentMessageValidator.reregisterSlave(valid().addTasks(task("t3")
        .setFrameworkId(FrameworkID.newBuilder().setValue("F9"))).build()))
        .contains("Task has an invalid FrameworkID 'F9'");
    assertThat(AgentMessageValidator.reregisterSlave(valid().addTasks(task("t4")
        .setExecutorId(ExecutorID.newBuilder().setValue("e9"))).build()))
        .contains("Task has an invalid ExecutorID 'e9'");
    assertThat(AgentMessageValidator.reregisterSlave(valid().addExecutorInfos(ExecutorInfo.newBuilder()
        .setFrameworkId(FRAMEWORK).setExecutorId(ExecutorID.newBuilder().setValue("e1"))).build()))
        .contains("Framework 'F1' has a duplicate ExecutorID 'e1'");
    assertThat(AgentMessageValidator.reregisterSlave(valid().addFrameworks(FrameworkInfo.newBuilder()
        .setId(FRAMEWORK).setName("again").setUser("u")).build()))
        .contains("Framework has a duplicate FrameworkID: 'F1'");
    assertThat(AgentMessageValidator.reregisterSlave(valid().addTasks(task("a/b")).build()))
        .contains("Task has an invalid TaskID: '/' is disallowed");
  }

  @Test
  void checkpointedResourcesNeedCheckpointing() {
    RegisterSlaveMessage message = RegisterSlaveMessage.newBuilder().setSlave(INFO.toBuilder().clearId())
        .addAllCheckpointedResources(Resources.parse("cpus:1", "*").toList()).build();
    assertThat(AgentMessageValidator.registerSlave(message))
        .contains("Checkpointed resources provided when checkpointing is not enabled");
  }
}
