package io.jmesos.master.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.Test;

class TaskTableTest {
  private static Task task(String id, String agent) {
    return Task.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setFrameworkId(FrameworkID.newBuilder().setValue("f")).setSlaveId(SlaveID.newBuilder().setValue(agent))
        .setState(TaskState.TASK_RUNNING).build();
  }

  private static SlaveID agent(String id) {
    return SlaveID.newBuilder().setValue(id).build();
  }

  @Test
  void tasksAreFoundByAgentAsTheyComeGoAndMove() {
    TaskTable tasks = new TaskTable();
    tasks.put(task("t1", "a").getTaskId(), task("t1", "a"));
    tasks.put(task("t2", "b").getTaskId(), task("t2", "b"));
    tasks.put(task("t3", "a").getTaskId(), task("t3", "a"));
    assertThat(tasks.onAgent(agent("a"))).extracting(t -> t.getTaskId().getValue()).containsExactly("t1", "t3");
    assertThat(tasks.onAgent(agent("c"))).isEmpty();

    tasks.put(task("t1", "b").getTaskId(), task("t1", "b")); // re-added from another agent's report
    assertThat(tasks.onAgent(agent("a"))).extracting(t -> t.getTaskId().getValue()).containsExactly("t3");
    assertThat(tasks.onAgent(agent("b"))).extracting(t -> t.getTaskId().getValue()).containsExactly("t2", "t1");

    tasks.remove(task("t3", "a").getTaskId());
    assertThat(tasks.onAgent(agent("a"))).isEmpty();
    assertThat(tasks.keySet()).extracting(TaskID::getValue).containsExactly("t1", "t2");
    tasks.clear();
    assertThat(tasks.onAgent(agent("b"))).isEmpty();
  }

  @Test
  void viewsAndOtherMutatorsCannotBypassTheIndex() {
    TaskTable tasks = new TaskTable();
    tasks.put(task("t1", "a").getTaskId(), task("t1", "a"));
    assertThatThrownBy(() -> tasks.values().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> tasks.putIfAbsent(task("t2", "a").getTaskId(), task("t2", "a")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(tasks.onAgent(agent("a"))).hasSize(1);
  }
}
