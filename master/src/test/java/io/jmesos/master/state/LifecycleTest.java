package io.jmesos.master.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.junit.jupiter.api.Test;

/** Agent and framework lifecycles move only along their allowed transitions, and fail loudly otherwise. */
class LifecycleTest {
  private final Agent agent = new Agent(SlaveID.newBuilder().setValue("a").build(),
      SlaveInfo.newBuilder().setHostname("h").build());
  private final Framework framework = new Framework(FrameworkID.newBuilder().setValue("f").build(),
      FrameworkInfo.newBuilder().setUser("u").setName("n").build(), FrameworkLifecycle.RECOVERED);

  @Test
  void anAgentIsRegisteringUntilAdmittedAndFinishedAfterUnreachable() {
    assertThat(agent.lifecycle()).isEqualTo(AgentLifecycle.REGISTERING);
    assertThat(agent.connected()).isFalse();
    assertThatThrownBy(agent::disconnect).isInstanceOf(IllegalStateException.class)
        .hasMessage("Agent a cannot move from REGISTERING to DISCONNECTED");

    agent.admit(null);
    agent.disconnect();
    agent.finish(AgentLifecycle.UNREACHABLE);

    assertThat(agent.lifecycle()).isEqualTo(AgentLifecycle.UNREACHABLE);
    assertThatThrownBy(() -> agent.admit(null)).isInstanceOf(IllegalStateException.class)
        .hasMessage("Agent a cannot move from UNREACHABLE to REGISTERED");
    assertThat(agent.send(org.apache.mesos.Protos.SlaveID.getDefaultInstance())).isFalse();
  }

  @Test
  void aGoneOrRemovedAgentNeverComesBack() {
    for (AgentLifecycle end : new AgentLifecycle[] {AgentLifecycle.GONE, AgentLifecycle.REMOVED}) {
      for (AgentLifecycle next : AgentLifecycle.values()) {
        assertThat(end.canMoveTo(next)).as(end + " -> " + next).isFalse();
      }
    }
    assertThat(AgentLifecycle.RECOVERED.canMoveTo(AgentLifecycle.REGISTERED)).isTrue();
    assertThat(AgentLifecycle.RECOVERED.canMoveTo(AgentLifecycle.DISCONNECTED)).isFalse();
  }

  @Test
  void aCompletedFrameworkIsNeverReadmitted() {
    assertThat(framework.active()).isFalse();
    framework.connect(null);
    assertThat(framework.lifecycle()).isEqualTo(FrameworkLifecycle.ACTIVE);
    framework.disconnect();
    framework.complete();

    assertThatThrownBy(() -> framework.connect(null)).isInstanceOf(IllegalStateException.class)
        .hasMessage("Framework f cannot move from COMPLETED to ACTIVE");
    assertThatThrownBy(() -> new Framework(framework.id(), framework.info(), FrameworkLifecycle.COMPLETED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRecoveredFrameworkCannotBeDisconnectedBeforeItSubscribes() {
    assertThatThrownBy(framework::disconnect).isInstanceOf(IllegalStateException.class)
        .hasMessage("Framework f cannot move from RECOVERED to DISCONNECTED");
  }
}
