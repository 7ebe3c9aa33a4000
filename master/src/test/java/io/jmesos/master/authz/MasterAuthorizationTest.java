package io.jmesos.master.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.RunTaskGroupMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.master.Master;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.security.Credentials;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import io.jmesos.transport.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's authorization with {@code --acls}, as Mesos 1.11's ({@code master_authorization_tests.cpp}): a
 * framework may subscribe only with roles its principal may register, run tasks only as users its principal may
 * run as (TASK_ERROR, REASON_TASK_UNAUTHORIZED; a whole task group or none of it), and operators get {@code 403}
 * for teardowns, weights, quotas, agents marked gone, flags and metrics their principal may not touch.
 */
@Timeout(60)
class MasterAuthorizationTest {
  /** Principals: alice and bob are frameworks (and operators), ops the operator with every right. */
  static final String ACLS = "{"
      + "\"register_frameworks\": ["
      + "  {\"principals\": {\"values\": [\"alice\"]}, \"roles\": {\"values\": [\"prod\", \"prod/%\"]}},"
      + "  {\"principals\": {\"type\": \"NONE\"}, \"roles\": {\"values\": [\"prod\"]}}],"
      + "\"run_tasks\": ["
      + "  {\"principals\": {\"values\": [\"alice\"]}, \"users\": {\"values\": [\"tester\"]}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}],"
      + "\"teardown_frameworks\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"framework_principals\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"framework_principals\": {\"type\": \"NONE\"}}],"
      + "\"update_weights\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"roles\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"type\": \"NONE\"}}],"
      + "\"update_quotas\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"roles\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"roles\": {\"type\": \"NONE\"}}],"
      + "\"mark_agents_gone\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"agents\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"agents\": {\"type\": \"NONE\"}}],"
      + "\"view_flags\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"flags\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"flags\": {\"type\": \"NONE\"}}],"
      + "\"view_frameworks\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"users\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}],"
      + "\"view_tasks\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]}, \"users\": {\"type\": \"ANY\"}},"
      + "  {\"principals\": {\"values\": [\"alice\"]}, \"users\": {\"values\": [\"tester\"]}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"users\": {\"type\": \"NONE\"}}],"
      + "\"get_endpoints\": ["
      + "  {\"principals\": {\"values\": [\"ops\"]},"
      + "   \"paths\": {\"values\": [\"/metrics/snapshot\", \"/files/debug\"]}},"
      + "  {\"principals\": {\"type\": \"ANY\"}, \"paths\": {\"type\": \"NONE\"}}]"
      + "}";

  @TempDir
  Path dir;
  private TestCluster cluster;
  private final HttpClient http = new HttpClient("authz-test");

  @AfterEach
  void stop() {
    http.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  private void start() throws Exception {
    cluster = new TestCluster(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory",
        "credentials", Credentials.write(dir).toString(), "authenticate_http_readonly", "true",
        "authenticate_http_readwrite", "true", "acls", ACLS)), Limits.DEFAULT);
  }

  private HttpResponse request(String method, String path, String authorization, String contentType, String body)
      throws Exception {
    Map<String, String> headers = new HashMap<>();
    headers.put("Authorization", authorization);
    if (contentType != null) {
      headers.put("Content-Type", contentType);
      headers.put("Accept", MediaTypes.JSON);
    }
    return http.request(cluster.address, method, path, headers,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
  }

  private HttpResponse operator(String authorization, String call) throws Exception {
    return request("POST", "/api/v1", authorization, MediaTypes.JSON, call);
  }

  private JsonNode frameworks() throws Exception {
    return new ObjectMapper().readTree(request("GET", "/frameworks", Credentials.OPS, null, null).body())
        .get("frameworks");
  }

  @SuppressWarnings("deprecation") // FrameworkInfo.role: the one role of a framework that is not MULTI_ROLE
  private static FrameworkInfo framework(String principal, String role) {
    return TestScheduler.frameworkInfo().setPrincipal(principal).setRole(role).build();
  }

  @Test
  void unauthorizedRoleRefusesTheSubscription() throws Exception {
    start();
    TestScheduler bob = cluster.scheduler(true);
    Event refused = bob.subscribe(framework("bob", "prod"));
    assertThat(refused.getType()).isEqualTo(Event.Type.ERROR);
    assertThat(refused.getError().getMessage()).isEqualTo("Not authorized to register framework  with roles "
        + "{ prod }");
    org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(bob::streamClosed);
    assertThat(frameworks()).isEmpty();

    assertThat(cluster.scheduler(false).subscribe(framework("bob", "dev")).getType())
        .as("a role no ACL names: permissive").isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(cluster.scheduler(true).subscribe(framework("alice", "prod")).getType())
        .isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(cluster.scheduler(true).subscribe(framework("alice", "prod/web")).getType())
        .as("a role below prod/%").isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(frameworks()).hasSize(3);
  }

  @Test
  void multiRoleFrameworkNeedsEveryRoleAuthorized() throws Exception {
    start();
    FrameworkInfo multi = TestScheduler.frameworkInfo().setPrincipal("bob").addRoles("dev").addRoles("prod")
        .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
        .build();
    Event refused = cluster.scheduler(true).subscribe(multi);
    assertThat(refused.getType()).isEqualTo(Event.Type.ERROR);
    assertThat(refused.getError().getMessage()).isEqualTo("Not authorized to register framework  with roles "
        + "{ dev, prod }");
  }

  @Test
  void unauthorizedTaskIsATaskError() throws Exception {
    start();
    TestScheduler alice = cluster.scheduler(true);
    alice.subscribe(framework("alice", "*"));
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    Offer offer = alice.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    TaskInfo asRoot = V1.commandTask("as-root", offer.getAgentId(), "cpus:0.5;mem:64").toBuilder()
        .setCommand(CommandInfo.newBuilder().setValue("true").setUser("root")).build();
    TaskInfo asTester = V1.commandTask("as-tester", offer.getAgentId(), "cpus:0.5;mem:64");

    assertThat(alice.call(V1.launch(offer, asRoot, asTester)).status()).isEqualTo(202);

    var status = alice.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(status.getTaskId().getValue()).isEqualTo("as-root");
    assertThat(status.getState()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_UNAUTHORIZED);
    assertThat(status.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
    assertThat(status.getMessage()).isEqualTo("Principal 'alice' no authorized to launch task as-root of framework "
        + alice.frameworkId().getValue() + " under user 'root'");
    RunTaskMessage run = agent.expect(RunTaskMessage.getDefaultInstance());
    assertThat(run.getTask().getTaskId().getValue()).as("the authorized task still runs").isEqualTo("as-tester");
    assertThat(agent.hasQueued(RunTaskMessage.getDefaultInstance())).isFalse();
    JsonNode metrics = new ObjectMapper().readTree(request("GET", "/metrics/snapshot", Credentials.OPS, null, null)
        .body());
    assertThat(metrics.get("master/tasks_error").asDouble()).isEqualTo(1.0);
  }

  @Test
  void unauthorizedTaskGroupIsRefusedWhole() throws Exception {
    start();
    TestScheduler alice = cluster.scheduler(true);
    alice.subscribe(framework("alice", "*"));
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    Offer offer = alice.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    ExecutorInfo executor = ExecutorInfo.newBuilder().setType(ExecutorInfo.Type.DEFAULT)
        .setExecutorId(ExecutorID.newBuilder().setValue("default"))
        .addAllResources(V1.resources("cpus:0.1;mem:32", "*")).build();
    TaskInfo ok = V1.commandTask("ok", offer.getAgentId(), "cpus:0.5;mem:64");
    TaskInfo asRoot = V1.commandTask("as-root", offer.getAgentId(), "cpus:0.5;mem:64").toBuilder()
        .setCommand(CommandInfo.newBuilder().setValue("true").setUser("root")).build();

    alice.call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId())
        .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH_GROUP)
            .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor)
                .setTaskGroup(TaskGroupInfo.newBuilder().addTasks(ok).addTasks(asRoot))))));

    Map<String, TaskStatus> statuses = new LinkedHashMap<>();
    for (int i = 0; i < 2; i++) {
      TaskStatus status = alice.expect(Event.Type.UPDATE).getUpdate().getStatus();
      statuses.put(status.getTaskId().getValue(), status);
    }
    assertThat(statuses).containsOnlyKeys("ok", "as-root");
    for (TaskStatus status : statuses.values()) {
      assertThat(status.getState()).isEqualTo(TaskState.TASK_ERROR);
      assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_GROUP_UNAUTHORIZED);
      assertThat(status.getMessage()).isEqualTo("Task 'as-root' is not authorized to launch task as-root of "
          + "framework " + alice.frameworkId().getValue() + " under user 'root'");
    }
    cluster.settle();
    assertThat(agent.hasQueued(RunTaskGroupMessage.getDefaultInstance())).isFalse();
  }

  @Test
  void teardownNeedsTheRight() throws Exception {
    start();
    TestScheduler alice = cluster.scheduler(true);
    alice.subscribe(framework("alice", "*"));
    String form = "frameworkId=" + alice.frameworkId().getValue();
    String formType = "application/x-www-form-urlencoded";
    assertThat(request("POST", "/teardown", Credentials.BOB, formType, form).status()).isEqualTo(403);
    String call = "{\"type\": \"TEARDOWN\", \"teardown\": {\"framework_id\": {\"value\": \""
        + alice.frameworkId().getValue() + "\"}}}";
    HttpResponse forbidden = operator(Credentials.ALICE, call);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.body()).isEmpty();
    assertThat(frameworks()).hasSize(1);
    assertThat(request("POST", "/teardown", Credentials.OPS, formType, form).status()).isEqualTo(200);
    assertThat(frameworks()).isEmpty();
  }

  @Test
  void weightsAndQuotaNeedTheRight() throws Exception {
    start();
    String weights = "[{\"role\": \"dev\", \"weight\": 2.0}]";
    assertThat(request("PUT", "/weights", Credentials.BOB, MediaTypes.JSON, weights).status()).isEqualTo(403);
    assertThat(operator(Credentials.BOB, "{\"type\": \"UPDATE_WEIGHTS\", \"update_weights\": {\"weight_infos\": "
        + weights + "}}").status()).isEqualTo(403);
    assertThat(request("GET", "/weights", Credentials.BOB, null, null).bodyText()).doesNotContain("dev");
    assertThat(request("PUT", "/weights", Credentials.OPS, MediaTypes.JSON, weights).status()).isEqualTo(200);
    assertThat(request("GET", "/weights", Credentials.BOB, null, null).bodyText()).contains("\"dev\"");

    String quota = "{\"role\": \"dev\", \"force\": true, \"guarantee\": [{\"name\": \"cpus\", \"type\": \"SCALAR\","
        + " \"scalar\": {\"value\": 1}}]}";
    assertThat(request("POST", "/quota", Credentials.BOB, MediaTypes.JSON, quota).status()).isEqualTo(403);
    assertThat(operator(Credentials.BOB, "{\"type\": \"UPDATE_QUOTA\", \"update_quota\": {\"force\": true, "
        + "\"quota_configs\": [{\"role\": \"dev\", \"guarantees\": {\"cpus\": {\"value\": 1}}}]}}").status())
        .isEqualTo(403);
    assertThat(request("POST", "/quota", Credentials.OPS, MediaTypes.JSON, quota).status()).isEqualTo(200);
    assertThat(request("DELETE", "/quota/dev", Credentials.BOB, null, null).status()).isEqualTo(403);
    assertThat(request("DELETE", "/quota/dev", Credentials.OPS, null, null).status()).isEqualTo(200);
  }

  @Test
  void markAgentGoneNeedsTheRight() throws Exception {
    start();
    FakeAgent agent = cluster.agent("cpus:1;mem:128");
    String call = "{\"type\": \"MARK_AGENT_GONE\", \"mark_agent_gone\": {\"agent_id\": {\"value\": \""
        + agent.id().getValue() + "\"}}}";
    assertThat(operator(Credentials.BOB, call).status()).isEqualTo(403);
    assertThat(operator(Credentials.OPS, call).status()).isEqualTo(200);
  }

  @Test
  void flagsAndMetricsNeedTheRight() throws Exception {
    start();
    assertThat(request("GET", "/flags", Credentials.BOB, null, null).status()).isEqualTo(403);
    assertThat(request("GET", "/flags", Credentials.OPS, null, null).bodyText()).contains("\"acls\"");
    assertThat(operator(Credentials.BOB, "{\"type\": \"GET_FLAGS\"}").status()).isEqualTo(403);
    assertThat(operator(Credentials.OPS, "{\"type\": \"GET_FLAGS\"}").status()).isEqualTo(200);
    assertThat(request("GET", "/metrics/snapshot", Credentials.BOB, null, null).status()).isEqualTo(403);
    assertThat(request("GET", "/metrics/snapshot", Credentials.OPS, null, null).status()).isEqualTo(200);
    assertThat(request("GET", "/files/debug", Credentials.BOB, null, null).status()).isEqualTo(403);
    assertThat(request("GET", "/files/debug", Credentials.OPS, null, null).status()).isEqualTo(200);
    assertThat(request("POST", "/logging/toggle?level=1&duration=1secs", Credentials.OPS, null, null).status())
        .as("not in ops' get_endpoints paths").isEqualTo(403);
  }

  @Test
  void stateIsFilteredByTheViewAcls() throws Exception {
    start();
    TestScheduler alice = cluster.scheduler(true);
    alice.subscribe(framework("alice", "*"));
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    Offer offer = alice.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    alice.call(V1.launch(offer, V1.commandTask("t1", offer.getAgentId(), "cpus:0.5;mem:64")));
    agent.expect(RunTaskMessage.getDefaultInstance());
    cluster.settle();
    ObjectMapper mapper = new ObjectMapper();

    JsonNode asOps = mapper.readTree(request("GET", "/state", Credentials.OPS, null, null).body());
    assertThat(asOps.get("frameworks")).hasSize(1);
    assertThat(asOps.get("frameworks").get(0).get("tasks")).hasSize(1);
    assertThat(asOps.has("flags")).isTrue();
    JsonNode asBob = mapper.readTree(request("GET", "/state", Credentials.BOB, null, null).body());
    assertThat(asBob.get("frameworks")).isEmpty();
    assertThat(asBob.has("flags")).as("view_flags").isFalse();
    assertThat(asBob.get("slaves")).as("agents are not filtered").hasSize(1);

    assertThat(mapper.readTree(request("GET", "/frameworks", Credentials.BOB, null, null).body())
        .get("frameworks")).isEmpty();
    assertThat(mapper.readTree(request("GET", "/tasks", Credentials.OPS, null, null).body()).get("tasks"))
        .hasSize(1);
    assertThat(mapper.readTree(request("GET", "/tasks", Credentials.BOB, null, null).body()).get("tasks"))
        .isEmpty();
    JsonNode getTasksOps = mapper.readTree(operator(Credentials.OPS, "{\"type\": \"GET_TASKS\"}").body());
    assertThat(getTasksOps.get("get_tasks").get("tasks")).hasSize(1);
    JsonNode getTasksBob = mapper.readTree(operator(Credentials.BOB, "{\"type\": \"GET_TASKS\"}").body());
    assertThat(getTasksBob.get("get_tasks").path("tasks")).isEmpty();
    JsonNode getStateBob = mapper.readTree(operator(Credentials.BOB, "{\"type\": \"GET_STATE\"}").body());
    assertThat(getStateBob.get("get_state").path("get_frameworks").path("frameworks")).isEmpty();
    assertThat(getStateBob.get("get_state").get("get_agents").get("agents")).hasSize(1);
    // alice may view tasks of user tester, but not frameworks: she sees no framework, hence no task.
    assertThat(mapper.readTree(request("GET", "/tasks", Credentials.ALICE, null, null).body()).get("tasks"))
        .isEmpty();
  }

  @Test
  void withoutAclsEverythingIsAllowed() throws Exception {
    cluster = new TestCluster(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory")),
        Limits.DEFAULT);
    assertThat(cluster.scheduler(true).subscribe(framework("bob", "prod")).getType())
        .isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(http.get(cluster.address, "/flags").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void badAclsOrAuthorizerAreStartUpErrors() throws Exception {
    Map<String, String> base = Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory");
    Map<String, String> malformed = new HashMap<>(base);
    malformed.put("acls", "{\"run_tasks\": [");
    assertThatThrownBy(() -> Master.builder().flags(MasterFlags.of(malformed)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Could not create 'local' authorizer: Failed to parse ACLs: malformed JSON");
    Map<String, String> invalid = new HashMap<>(base);
    invalid.put("acls", "{\"get_endpoints\": [{\"principals\": {\"type\": \"ANY\"}, \"paths\": {\"values\": "
        + "[\"/state\"]}}]}");
    assertThatThrownBy(() -> Master.builder().flags(MasterFlags.of(invalid)).build())
        .hasMessage("Could not create 'local' authorizer: Path: '/state' is not an authorizable path");
    Map<String, String> module = new HashMap<>(base);
    module.put("authorizers", "com.example.MyAuthorizer");
    assertThatThrownBy(() -> Master.builder().flags(MasterFlags.of(module)).build())
        .hasMessageStartingWith("Could not create 'com.example.MyAuthorizer' authorizer");
    Path file = Files.writeString(dir.resolve("acls.json"), ACLS);
    Map<String, String> fromFile = new HashMap<>(base);
    fromFile.put("acls", "file://" + file);
    Master.builder().flags(MasterFlags.of(fromFile)).build().close();
  }
}
