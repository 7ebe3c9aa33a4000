package io.jmesos.security.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local authorizer's rules, as the scenarios of Mesos' {@code authorization_tests.cpp} (same names), with the
 * ACLs written as the JSON an operator passes to {@code --acls}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalAuthorizerTest {
  private static Authorizer authorizer(String json) {
    return LocalAuthorizer.create(Authorizers.parse(json));
  }

  private static boolean allowed(Authorizer authorizer, Action action, String principal, AuthorizationObject o) {
    return authorizer.authorized(action, Optional.ofNullable(principal), o);
  }

  private static FrameworkInfo framework(String user) {
    return FrameworkInfo.newBuilder().setUser(user).setName("f").build();
  }

  private static AuthorizationObject runAs(String user) {
    return AuthorizationObject.taskInfo(TaskInfo.newBuilder().setName("t").setTaskId(TaskID.newBuilder()
        .setValue("t")).setSlaveId(SlaveID.newBuilder().setValue("s"))
        .setCommand(CommandInfo.newBuilder().setUser(user).setValue("true")).build(), framework("nobody"));
  }

  private static AuthorizationObject role(String role) {
    return AuthorizationObject.framework(framework("u").toBuilder().setRole(role).build());
  }

  @Test
  void anyPrincipalRunAsUser() {
    Authorizer a = authorizer("{\"run_tasks\": [{\"principals\": {\"type\": \"ANY\"}, "
        + "\"users\": {\"values\": [\"guest\", \"root\"]}}]}");
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("guest"))).isTrue();
    assertThat(allowed(a, Action.RUN_TASK, "bar", runAs("root"))).isTrue();
    // No principal (an unauthenticated framework) is matched by ANY principals.
    assertThat(allowed(a, Action.RUN_TASK, null, runAs("guest"))).isTrue();
  }

  @Test
  void noPrincipalRunAsUser() {
    Authorizer a = authorizer("{\"run_tasks\": [{\"principals\": {\"type\": \"NONE\"}, "
        + "\"users\": {\"values\": [\"root\"]}}]}");
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("root"))).isFalse();
    assertThat(allowed(a, Action.RUN_TASK, null, runAs("root"))).isFalse();
    // An object the entry does not name does not match it: permissive decides.
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("guest"))).isTrue();
  }

  @Test
  void principalRunAsAnyUser() {
    Authorizer a = authorizer("{\"run_tasks\": [{\"principals\": {\"values\": [\"foo\"]}, "
        + "\"users\": {\"type\": \"ANY\"}}]}");
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("user1"))).isTrue();
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("user2"))).isTrue();
  }

  @Test
  void anyPrincipalRunAsAnyUser() {
    Authorizer a = authorizer("{\"run_tasks\": [{\"principals\": {\"type\": \"ANY\"}, "
        + "\"users\": {\"type\": \"ANY\"}}]}");
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("user1"))).isTrue();
    assertThat(allowed(a, Action.RUN_TASK, "bar", runAs("user2"))).isTrue();
    assertThat(allowed(a, Action.RUN_TASK, null, null)).isTrue();
  }

  @Test
  void onlySomePrincipalsRunAsSomeUsers() {
    Authorizer a = authorizer("{\"run_tasks\": ["
        + "{\"principals\": {\"values\": [\"foo\", \"bar\"]}, \"users\": {\"values\": [\"user1\", \"user2\"]}},"
        + "{\"principals\": {\"values\": [\"bar\"]}, \"users\": {\"values\": [\"user2\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}]}");
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("user1"))).isTrue();
    assertThat(allowed(a, Action.RUN_TASK, "bar", runAs("user2"))).isTrue();
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("user3"))).isFalse();
    assertThat(allowed(a, Action.RUN_TASK, "baz", runAs("user1"))).isFalse();
    assertThat(allowed(a, Action.RUN_TASK, null, runAs("user1"))).isFalse();
  }

  @Test
  void somePrincipalOnlySomeUser() {
    Authorizer a = authorizer("{\"run_tasks\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"users\": {\"values\": [\"user1\"]}},"
        + "{\"principals\": {\"values\": [\"foo\"]}, \"users\": {\"type\": \"NONE\"}}]}");
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("user1"))).isTrue();
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("user2"))).isFalse();
    assertThat(allowed(a, Action.RUN_TASK, "bar", runAs("user2"))).isTrue();
  }

  @Test
  void principalRunAsSomeUserRestrictive() {
    Authorizer a = authorizer("{\"permissive\": false, \"run_tasks\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"users\": {\"values\": [\"user1\"]}}]}");
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("user1"))).isTrue();
    assertThat(allowed(a, Action.RUN_TASK, "foo", runAs("user2"))).isFalse();
    assertThat(allowed(a, Action.RUN_TASK, "bar", runAs("user1"))).isFalse();
  }

  @Test
  void runTaskUserFallsBackToExecutorThenFramework() {
    Authorizer a = authorizer("{\"run_tasks\": [{\"principals\": {\"type\": \"ANY\"}, "
        + "\"users\": {\"values\": [\"alice\"]}}, {\"principals\": {\"type\": \"ANY\"}, "
        + "\"users\": {\"type\": \"NONE\"}}]}");
    TaskInfo viaExecutor = TaskInfo.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t"))
        .setSlaveId(SlaveID.newBuilder().setValue("s")).setExecutor(ExecutorInfo.newBuilder()
            .setExecutorId(ExecutorID.newBuilder().setValue("e"))
            .setCommand(CommandInfo.newBuilder().setUser("alice"))).build();
    assertThat(allowed(a, Action.RUN_TASK, "p", AuthorizationObject.taskInfo(viaExecutor, framework("bob"))))
        .isTrue();
    TaskInfo noUser = viaExecutor.toBuilder().clearExecutor().build();
    assertThat(allowed(a, Action.RUN_TASK, "p", AuthorizationObject.taskInfo(noUser, framework("bob"))))
        .isFalse();
    assertThat(allowed(a, Action.RUN_TASK, "p", AuthorizationObject.taskInfo(noUser, framework("alice"))))
        .isTrue();
  }

  @Test
  void anyPrincipalOfferedRole() {
    Authorizer a = authorizer("{\"register_frameworks\": [{\"principals\": {\"type\": \"ANY\"}, "
        + "\"roles\": {\"values\": [\"*\"]}}]}");
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "foo", role("*"))).isTrue();
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, null, role("*"))).isTrue();
  }

  @Test
  void somePrincipalsOfferedRole() {
    Authorizer a = authorizer("{\"register_frameworks\": [{\"principals\": {\"values\": [\"foo\", \"bar\"]}, "
        + "\"roles\": {\"values\": [\"ads\"]}}]}");
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "foo", role("ads"))).isTrue();
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "bar", role("ads"))).isTrue();
    // A subject outside the entry's values does not match it: permissive.
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "baz", role("ads"))).isTrue();
  }

  @Test
  void principalOfferedRole() {
    Authorizer a = authorizer("{\"register_frameworks\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"roles\": {\"values\": [\"analytics\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"values\": [\"analytics\"]}}]}");
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "foo", role("analytics"))).isTrue();
    Authorizer restricted = authorizer("{\"register_frameworks\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"roles\": {\"values\": [\"analytics\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"type\": \"NONE\"}}]}");
    assertThat(allowed(restricted, Action.REGISTER_FRAMEWORK, "foo", role("analytics"))).isTrue();
    assertThat(allowed(restricted, Action.REGISTER_FRAMEWORK, "bar", role("analytics"))).isFalse();
  }

  @Test
  void principalNotOfferedAnyRoleRestrictive() {
    Authorizer a = authorizer("{\"permissive\": false, \"register_frameworks\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"roles\": {\"values\": [\"analytics\"]}}]}");
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "foo", role("analytics"))).isTrue();
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "foo", role("ads"))).isFalse();
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "bar", role("analytics"))).isFalse();
  }

  @Test
  void registerFrameworkHierarchical() {
    Authorizer a = authorizer("{\"register_frameworks\": ["
        + "{\"principals\": {\"values\": [\"elizabeth-ii\"]}, \"roles\": {\"values\": [\"king/%\", \"king\"]}},"
        + "{\"principals\": {\"values\": [\"charles\"]}, \"roles\": {\"values\": [\"king/%\"]}},"
        + "{\"principals\": {\"values\": [\"j-welby\"]}, \"roles\": {\"values\": [\"king\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"type\": \"NONE\"}}]}");
    for (String r : new String[] {"king", "king/prince", "king/prince/duke"}) {
      assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "elizabeth-ii", role(r))).as(r).isTrue();
    }
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "charles", role("king"))).isFalse();
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "charles", role("king/prince"))).isTrue();
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "charles", role("king/prince/duke"))).isTrue();
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "j-welby", role("king"))).isTrue();
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "j-welby", role("king/prince"))).isFalse();
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "j-welby", role("king/prince/duke"))).isFalse();
    // "kingdom" is no role below "king".
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "charles", role("kingdom"))).isFalse();
  }

  @Test
  void multiRoleFrameworkNeedsEveryRole() {
    Authorizer a = authorizer("{\"register_frameworks\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"roles\": {\"values\": [\"a\", \"b\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"type\": \"NONE\"}}]}");
    FrameworkInfo.Builder multi = framework("u").toBuilder().addCapabilities(FrameworkInfo.Capability.newBuilder()
        .setType(FrameworkInfo.Capability.Type.MULTI_ROLE));
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "foo",
        AuthorizationObject.framework(multi.clone().addRoles("a").addRoles("b").build()))).isTrue();
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "foo",
        AuthorizationObject.framework(multi.clone().addRoles("a").addRoles("c").build()))).isFalse();
    // No roles at all: permissive decides, as in Mesos.
    assertThat(allowed(a, Action.REGISTER_FRAMEWORK, "bar", AuthorizationObject.framework(multi.build())))
        .isTrue();
  }

  @Test
  void updateWeight() {
    Authorizer a = authorizer("{\"update_weights\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"roles\": {\"type\": \"ANY\"}},"
        + "{\"principals\": {\"values\": [\"bar\"]}, \"roles\": {\"values\": [\"a/%\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"type\": \"NONE\"}}]}");
    assertThat(allowed(a, Action.UPDATE_WEIGHT, "foo", AuthorizationObject.value("x"))).isTrue();
    assertThat(allowed(a, Action.UPDATE_WEIGHT, "bar", AuthorizationObject.value("a/b"))).isTrue();
    assertThat(allowed(a, Action.UPDATE_WEIGHT, "bar", AuthorizationObject.value("a"))).isFalse();
    assertThat(allowed(a, Action.UPDATE_WEIGHT, null, AuthorizationObject.value("x"))).isFalse();
  }

  @Test
  void updateQuotaConfig() {
    Authorizer a = authorizer("{\"update_quotas\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"roles\": {\"values\": [\"prod\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"type\": \"NONE\"}}]}");
    assertThat(allowed(a, Action.UPDATE_QUOTA_WITH_CONFIG, "foo", AuthorizationObject.value("prod"))).isTrue();
    assertThat(allowed(a, Action.UPDATE_QUOTA_WITH_CONFIG, "foo", AuthorizationObject.value("dev"))).isFalse();
    assertThat(allowed(a, Action.UPDATE_QUOTA, "bar", AuthorizationObject.value("prod"))).isFalse();
  }

  @Test
  void reserve() {
    Authorizer a = authorizer("{\"reserve_resources\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"roles\": {\"values\": [\"ads\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"type\": \"NONE\"}}]}");
    Resource.Builder cpus = Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(1));
    Resource ads = cpus.clone().addReservations(Resource.ReservationInfo.newBuilder().setRole("ads")).build();
    assertThat(allowed(a, Action.RESERVE_RESOURCES, "foo", AuthorizationObject.resource(ads))).isTrue();
    assertThat(allowed(a, Action.RESERVE_RESOURCES, "bar", AuthorizationObject.resource(ads))).isFalse();
  }

  @Test
  void teardownFrameworkByFrameworkPrincipal() {
    Authorizer a = authorizer("{\"teardown_frameworks\": ["
        + "{\"principals\": {\"values\": [\"ops\"]}, \"framework_principals\": {\"type\": \"ANY\"}},"
        + "{\"principals\": {\"values\": [\"foo\"]}, \"framework_principals\": {\"values\": [\"foo\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"framework_principals\": {\"type\": \"NONE\"}}]}");
    FrameworkInfo byFoo = framework("u").toBuilder().setPrincipal("foo").build();
    FrameworkInfo byBar = framework("u").toBuilder().setPrincipal("bar").build();
    assertThat(allowed(a, Action.TEARDOWN_FRAMEWORK, "ops", AuthorizationObject.framework(byBar))).isTrue();
    assertThat(allowed(a, Action.TEARDOWN_FRAMEWORK, "foo", AuthorizationObject.framework(byFoo))).isTrue();
    assertThat(allowed(a, Action.TEARDOWN_FRAMEWORK, "foo", AuthorizationObject.framework(byBar))).isFalse();
    assertThat(allowed(a, Action.TEARDOWN_FRAMEWORK, null, AuthorizationObject.framework(byFoo))).isFalse();
  }

  @Test
  void viewFramework() {
    Authorizer a = authorizer("{\"view_frameworks\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"users\": {\"values\": [\"bar\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}]}");
    assertThat(allowed(a, Action.VIEW_FRAMEWORK, "foo", AuthorizationObject.framework(framework("bar")))).isTrue();
    assertThat(allowed(a, Action.VIEW_FRAMEWORK, "foo", AuthorizationObject.framework(framework("baz"))))
        .isFalse();
  }

  @Test
  void viewTask() {
    Authorizer a = authorizer("{\"view_tasks\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"users\": {\"values\": [\"bar\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}]}");
    Task.Builder task = Task.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t"))
        .setFrameworkId(org.apache.mesos.Protos.FrameworkID.newBuilder().setValue("f"))
        .setSlaveId(SlaveID.newBuilder().setValue("s")).setState(TaskState.TASK_RUNNING);
    // The task's own user wins over the framework's.
    assertThat(allowed(a, Action.VIEW_TASK, "foo",
        AuthorizationObject.task(task.clone().setUser("bar").build(), framework("baz")))).isTrue();
    assertThat(allowed(a, Action.VIEW_TASK, "foo",
        AuthorizationObject.task(task.clone().build(), framework("baz")))).isFalse();
    assertThat(allowed(a, Action.VIEW_TASK, "foo",
        AuthorizationObject.task(task.clone().build(), framework("bar")))).isTrue();
  }

  @Test
  void viewExecutor() {
    Authorizer a = authorizer("{\"view_executors\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"users\": {\"values\": [\"bar\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}]}");
    ExecutorInfo.Builder executor = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e"))
        .setCommand(CommandInfo.newBuilder());
    assertThat(allowed(a, Action.VIEW_EXECUTOR, "foo",
        AuthorizationObject.executor(executor.build(), framework("bar")))).isTrue();
    assertThat(allowed(a, Action.VIEW_EXECUTOR, "foo", AuthorizationObject.executor(executor.clone()
        .setCommand(CommandInfo.newBuilder().setUser("baz")).build(), framework("bar")))).isFalse();
  }

  @Test
  void sandBoxAccess() {
    Authorizer a = authorizer("{\"access_sandboxes\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"users\": {\"values\": [\"bar\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}]}");
    ExecutorInfo executor = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e"))
        .setCommand(CommandInfo.newBuilder()).build();
    assertThat(allowed(a, Action.ACCESS_SANDBOX, "foo", AuthorizationObject.executor(executor, framework("bar"))))
        .isTrue();
    assertThat(allowed(a, Action.ACCESS_SANDBOX, "baz", AuthorizationObject.executor(executor, framework("bar"))))
        .isFalse();
  }

  @Test
  void optionalObject() {
    // A request without an object stands for ANY object: only an entry of ANY objects allows it.
    Authorizer a = authorizer("{\"teardown_frameworks\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"framework_principals\": {\"type\": \"ANY\"}},"
        + "{\"principals\": {\"values\": [\"bar\"]}, \"framework_principals\": {\"values\": [\"x\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"framework_principals\": {\"type\": \"NONE\"}}]}");
    assertThat(allowed(a, Action.TEARDOWN_FRAMEWORK, "foo", null)).isTrue();
    assertThat(allowed(a, Action.TEARDOWN_FRAMEWORK, "bar", null)).isFalse();
  }

  @Test
  void viewFlags() {
    Authorizer a = authorizer("{\"view_flags\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"flags\": {\"type\": \"ANY\"}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"flags\": {\"type\": \"NONE\"}}]}");
    assertThat(allowed(a, Action.VIEW_FLAGS, "foo", null)).isTrue();
    assertThat(allowed(a, Action.VIEW_FLAGS, "bar", null)).isFalse();
    assertThat(allowed(a, Action.VIEW_FLAGS, null, null)).isFalse();
    assertThatThrownBy(() -> authorizer("{\"view_flags\": [{\"principals\": {\"type\": \"ANY\"}, "
        + "\"flags\": {\"values\": [\"x\"]}}]}"))
        .hasMessage("ACL.ViewFlags type must be either NONE or ANY");
  }

  @Test
  void validateEndpoints() {
    assertThatThrownBy(() -> authorizer("{\"get_endpoints\": [{\"principals\": {\"type\": \"ANY\"}, "
        + "\"paths\": {\"values\": [\"/frameworks\"]}}]}"))
        .hasMessage("Path: '/frameworks' is not an authorizable path");
    Authorizer a = authorizer("{\"get_endpoints\": ["
        + "{\"principals\": {\"values\": [\"foo\"]}, \"paths\": {\"values\": [\"/metrics/snapshot\"]}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"paths\": {\"type\": \"NONE\"}}]}");
    AuthorizationObject metrics = AuthorizationObject.value("/metrics/snapshot");
    assertThat(allowed(a, Action.GET_ENDPOINT_WITH_PATH, "foo", metrics)).isTrue();
    assertThat(allowed(a, Action.GET_ENDPOINT_WITH_PATH, "bar", metrics)).isFalse();
  }

  @Test
  void registerAgent() {
    Authorizer a = authorizer("{\"register_agents\": ["
        + "{\"principals\": {\"values\": [\"agent\"]}, \"agents\": {\"type\": \"ANY\"}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"agents\": {\"type\": \"NONE\"}}]}");
    assertThat(allowed(a, Action.REGISTER_AGENT, "agent", null)).isTrue();
    assertThat(allowed(a, Action.REGISTER_AGENT, "other", null)).isFalse();
    assertThatThrownBy(() -> authorizer("{\"register_agents\": [{\"principals\": {\"type\": \"ANY\"}, "
        + "\"agents\": {\"values\": [\"a\"]}}]}"))
        .hasMessage("ACL.RegisterAgent type must be either NONE or ANY");
  }

  @Test
  void markAgentGone() {
    Authorizer a = authorizer("{\"mark_agents_gone\": ["
        + "{\"principals\": {\"values\": [\"ops\"]}, \"agents\": {\"type\": \"ANY\"}},"
        + "{\"principals\": {\"type\": \"ANY\"}, \"agents\": {\"type\": \"NONE\"}}]}");
    assertThat(allowed(a, Action.MARK_AGENT_GONE, "ops", null)).isTrue();
    assertThat(allowed(a, Action.MARK_AGENT_GONE, "dev", null)).isFalse();
  }

  @Test
  void emptyAclsArePermissiveOrNot() {
    assertThat(allowed(authorizer("{}"), Action.RUN_TASK, "foo", runAs("root"))).isTrue();
    assertThat(allowed(authorizer("{\"permissive\": false}"), Action.RUN_TASK, "foo", runAs("root"))).isFalse();
  }

  @Test
  void badAclsAreStartUpErrors(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> Authorizers.parse("{\"run_tasks\": ["))
        .hasMessageStartingWith("Failed to parse ACLs: malformed JSON at line 1");
    assertThatThrownBy(() -> Authorizers.parse("{\"run_tasks\": [{\"principals\": {\"type\": \"ANY\"}}]}"))
        .hasMessageStartingWith("Failed to parse ACLs: ").hasMessageContaining("users");
    assertThatThrownBy(() -> Authorizers.parse("{\"permissive\": \"maybe\"}"))
        .hasMessageStartingWith("Failed to parse ACLs: ").hasMessageContaining("permissive");
    assertThatThrownBy(() -> Authorizers.create("local", Optional.of(dir.resolve("missing").toString())))
        .hasMessageStartingWith("Could not create 'local' authorizer: Failed to read ACLs file");
    assertThatThrownBy(() -> Authorizers.create("my-module", Optional.of("{}")))
        .hasMessageStartingWith("Could not create 'my-module' authorizer");
    assertThatThrownBy(() -> Authorizers.create("local,local", Optional.of("{}")))
        .hasMessage("Multiple authorizers not supported");
    Path file = Files.writeString(dir.resolve("acls.json"), "{\"permissive\": false}");
    Authorizer fromFile = Authorizers.create("local", Optional.of(file.toString()));
    assertThat(fromFile.authorized(Action.VIEW_FLAGS, Optional.of("x"), null)).isFalse();
    assertThat(Authorizers.create("local", Optional.empty())).isSameAs(Authorizer.ALLOW_ALL);
  }
}
