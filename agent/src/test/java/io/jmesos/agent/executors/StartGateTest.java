package io.jmesos.agent.executors;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.containers.Container;
import io.jmesos.resources.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.junit.jupiter.api.Test;

class StartGateTest {
  private static ExecutorState executor(String id) {
    ExecutorInfo info = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue(id))
        .setFrameworkId(FrameworkID.newBuilder().setValue("f")).build();
    return new ExecutorState(info, true, new Container(ContainerID.newBuilder().setValue(id).build(),
        Path.of("/tmp", id), info, Resources.parse("cpus:1", "*")));
  }

  @Test
  void startsUpToTheBoundThenOneMoreForEachThatIsDoneInArrivalOrder() {
    StartGate gate = new StartGate(2);
    List<String> started = new ArrayList<>();
    ExecutorState a = executor("a");
    ExecutorState b = executor("b");
    ExecutorState c = executor("c");
    ExecutorState d = executor("d");

    gate.submit(a, () -> started.add("a"));
    gate.submit(b, () -> started.add("b"));
    gate.submit(c, () -> started.add("c"));
    gate.submit(d, () -> started.add("d"));
    assertThat(started).containsExactly("a", "b");
    assertThat(gate.waiting()).isEqualTo(2);

    gate.done(b);
    gate.done(b);
    assertThat(started).as("done twice frees one slot").containsExactly("a", "b", "c");

    gate.done(c);
    gate.done(a);
    assertThat(started).containsExactly("a", "b", "c", "d");
    assertThat(gate.starting()).isEqualTo(1);
    gate.done(executor("never-submitted"));
    assertThat(gate.starting()).isEqualTo(1);
  }

  @Test
  void aWithdrawnStartNeverRunsAndTheNextInLineTakesTheSlot() {
    StartGate gate = new StartGate(1);
    List<String> started = new ArrayList<>();
    ExecutorState a = executor("a");
    ExecutorState b = executor("b");
    ExecutorState c = executor("c");
    gate.submit(a, () -> started.add("a"));
    gate.submit(b, () -> started.add("b"));
    gate.submit(c, () -> started.add("c"));

    assertThat(gate.withdraw(b)).isTrue();
    assertThat(gate.withdraw(b)).as("only once").isFalse();
    assertThat(gate.withdraw(a)).as("already started: not waiting").isFalse();
    assertThat(gate.waiting()).isEqualTo(1);

    gate.done(a);
    assertThat(started).containsExactly("a", "c");
  }
}
