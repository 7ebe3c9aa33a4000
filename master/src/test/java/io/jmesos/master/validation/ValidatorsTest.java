package io.jmesos.master.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.state.FrameworkLifecycle;
import io.jmesos.protocol.SchedulerCallValidator;
import io.jmesos.resources.Resources;
import java.util.Set;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

class ValidatorsTest {
  private static final SlaveID AGENT = SlaveID.newBuilder().setValue("a").build();
  private final Framework framework = new Framework(FrameworkID.newBuilder().setValue("f").build(),
      FrameworkInfo.newBuilder().setUser("u").setName("n").build(), FrameworkLifecycle.ACTIVE);
  private final Agent agent = new Agent(AGENT, SlaveInfo.newBuilder().setHostname("h").build());
  private final Resources offered = Resources.parse("cpus:2;mem:256", "*").allocatedTo("*");

  private TaskInfo.Builder task(String id, String resources) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id)).setSlaveId(AGENT)
        .addAllResources(Resources.parse(resources, "*").allocatedTo("*").toList())
        .setCommand(CommandInfo.newBuilder().setValue("true"));
  }

  @Test
  void callsNeedTypeFrameworkAndTheirField() {
    assertThat(SchedulerCallValidator.validate(Call.getDefaultInstance())).contains("Expecting 'type' to be present");
    assertThat(SchedulerCallValidator.validate(Call.newBuilder().setType(Call.Type.KILL).build()))
        .contains("Expecting 'framework_id' to be present");
    Call.Builder kill = Call.newBuilder().setType(Call.Type.KILL)
        .setFrameworkId(org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue("f"));
    assertThat(SchedulerCallValidator.validate(kill.build())).contains("Expecting 'kill' to be present");
    Call.Builder ack = Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(kill.getFrameworkId())
        .setAcknowledge(Call.Acknowledge.newBuilder()
            .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a"))
            .setTaskId(org.apache.mesos.v1.Protos.TaskID.newBuilder().setValue("t"))
            .setUuid(ByteString.copyFromUtf8("short")));
    assertThat(SchedulerCallValidator.validate(ack.build())).contains("Not a valid UUID");
    assertThat(SchedulerCallValidator.validate(Call.newBuilder().setType(Call.Type.REVIVE)
        .setFrameworkId(kill.getFrameworkId()).build())).isEmpty();
  }

  @Test
  void validTaskPasses() {
    assertThat(TaskValidator.validate(task("t", "cpus:1;mem:128").build(), framework, agent, Set.of(), offered,
        Resources.empty())).isEmpty();
  }

  @Test
  void taskErrorsUseMesosWording() {
    assertThat(TaskValidator.validate(task("t", "cpus:3").build(), framework, agent, Set.of(), offered,
        Resources.empty())).get().asString().startsWith("Task uses more resources");
    assertThat(TaskValidator.validate(task("t", "cpus:1").build(), framework, agent,
        Set.of(TaskID.newBuilder().setValue("t").build()), offered, Resources.empty()))
        .contains("Task has duplicate ID: t");
    assertThat(TaskValidator.validate(task("t", "cpus:1").clearCommand().build(), framework, agent, Set.of(),
        offered, Resources.empty())).get().asString().contains("CommandInfo or ExecutorInfo");
    assertThat(TaskValidator.validate(task("t", "cpus:1").setSlaveId(SlaveID.newBuilder().setValue("x")).build(),
        framework, agent, Set.of(), offered, Resources.empty())).contains("Task uses invalid agent: x");
    assertThat(TaskValidator.validate(task("a/b", "cpus:1").build(), framework, agent, Set.of(), offered,
        Resources.empty())).get().asString().contains("is invalid");
  }

  @Test
  void tasksWithInvalidChecksAreRefusedWithMesosWording() {
    org.apache.mesos.Protos.HealthCheck badHealth = org.apache.mesos.Protos.HealthCheck.newBuilder()
        .setType(org.apache.mesos.Protos.HealthCheck.Type.HTTP)
        .setHttp(org.apache.mesos.Protos.HealthCheck.HTTPCheckInfo.newBuilder().setPort(80).setPath("up")).build();
    assertThat(TaskValidator.validate(task("t", "cpus:1").setHealthCheck(badHealth).build(), framework, agent,
        Set.of(), offered, Resources.empty()))
        .contains("Task uses invalid health check: The path 'up' of HTTP health check must start with '/'");
    org.apache.mesos.Protos.CheckInfo badCheck = org.apache.mesos.Protos.CheckInfo.newBuilder()
        .setType(org.apache.mesos.Protos.CheckInfo.Type.TCP).build();
    assertThat(TaskValidator.validate(task("t", "cpus:1").setCheck(badCheck).setHealthCheck(badHealth).build(),
        framework, agent, Set.of(), offered, Resources.empty()))
        .contains("Task uses invalid check: Expecting 'tcp' to be set for TCP check");
    org.apache.mesos.Protos.HealthCheck goodHealth = badHealth.toBuilder()
        .setHttp(badHealth.getHttp().toBuilder().setPath("/up")).build();
    assertThat(TaskValidator.validate(task("t", "cpus:1").setHealthCheck(goodHealth).build(), framework, agent,
        Set.of(), offered, Resources.empty())).isEmpty();
  }

  @Test
  void executorResourcesCountAgainstTheOffer() {
    ExecutorInfo executor = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e"))
        .addAllResources(Resources.parse("cpus:1.5", "*").allocatedTo("*").toList()).build();
    TaskInfo withExecutor = task("t", "cpus:1").clearCommand().setExecutor(executor).build();
    assertThat(TaskValidator.validate(withExecutor, framework, agent, Set.of(), offered,
        Resources.of(executor.getResourcesList()))).get().asString().startsWith("Task uses more resources");
  }

  @Test
  void updateFrameworkNamesTheCallersFramework() {
    var id = org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue("f").build();
    var info = org.apache.mesos.v1.Protos.FrameworkInfo.newBuilder().setUser("u").setName("n");
    Call.Builder update = Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK).setFrameworkId(id);

    assertThat(SchedulerCallValidator.validate(update.build())).contains("Expecting 'update_framework' to be present");
    assertThat(SchedulerCallValidator.validate(update.setUpdateFramework(Call.UpdateFramework.newBuilder()
        .setFrameworkInfo(info)).build()))
        .contains("'framework_id' differs from 'update_framework.framework_info.id'");
    assertThat(SchedulerCallValidator.validate(update.setUpdateFramework(Call.UpdateFramework.newBuilder()
        .setFrameworkInfo(info.setId(id))).build())).isEmpty();
  }

  @Test
  void frameworksMayNotChangeTheirPrincipalUserOrCheckpointing() {
    FrameworkInfo current = FrameworkInfo.newBuilder().setUser("u").setName("n").setPrincipal("p").build();

    assertThat(FrameworkValidator.validateUpdate(current, current.toBuilder().setName("other")
        .setFailoverTimeout(10).addRoles("r").build())).isEmpty();
    assertThat(FrameworkValidator.validateUpdate(current, current.toBuilder().clearPrincipal().build()))
        .contains("Changing framework's principal is not allowed.");
    assertThat(FrameworkValidator.validateUpdate(current, current.toBuilder().setPrincipal("q").build()))
        .contains("Changing framework's principal is not allowed.");
    assertThat(FrameworkValidator.validateUpdate(current, current.toBuilder().setUser("root").build()))
        .contains("Updating 'FrameworkInfo.user' is unsupported; attempted to update from 'u' to 'root'");
    assertThat(FrameworkValidator.validateUpdate(current, current.toBuilder().setCheckpoint(true).build()))
        .contains("Updating 'FrameworkInfo.checkpoint' is unsupported; attempted to update from 'false' to"
            + " 'true'");
  }

  @Test
  void frameworkInfoAndSuppressedRolesAreValidated() {
    FrameworkInfo.Builder multiRole = FrameworkInfo.newBuilder().setUser("u").setName("n")
        .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE));

    assertThat(FrameworkValidator.validate(multiRole.clone().addRoles("a").addRoles("b").build())).isEmpty();
    assertThat(FrameworkValidator.validate(multiRole.clone().addRoles("a").addRoles("a").build()))
        .contains("'FrameworkInfo.roles' contains duplicate role 'a'");
    assertThat(FrameworkValidator.validate(multiRole.clone().setFailoverTimeout(Double.POSITIVE_INFINITY)
        .build())).contains("The framework failover_timeout (Infinity) is invalid");
    assertThat(FrameworkValidator.validateSuppressedRoles(Set.of("a"), Set.of("a"))).isEmpty();
    assertThat(FrameworkValidator.validateSuppressedRoles(Set.of("a"), Set.of("c", "b", "a")))
        .contains("Suppressed roles [b, c] are not contained in the set of roles");
  }
}
