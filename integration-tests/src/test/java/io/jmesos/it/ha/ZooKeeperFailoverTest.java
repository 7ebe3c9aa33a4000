package io.jmesos.it.ha;

import static io.jmesos.it.ha.HaCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.agent.Agent;
import io.jmesos.master.Master;
import io.jmesos.testing.RecordingScheduler;
import io.jmesos.transport.MessageTap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Masters that contend by themselves ({@code --zk}) and keep the registry in ZooKeeper, on a real ensemble of
 * three ZooKeeper servers (Curator's {@code TestingCluster}), with a real agent and a real scheduler driver
 * finding the leader there. The leader dies; the other master is elected, recovers the registry (the agent is
 * known as recovered until it re-registers, weights set before the failover are still there), and the agent and
 * the framework come back to it with the running task. A leader whose election node disappears stops (its fatal
 * hook, where {@code mesos-master} exits); one ZooKeeper server of three dying changes nothing.
 */
@Timeout(120)
class ZooKeeperFailoverTest {
  private static TestingCluster ensemble;

  @BeforeAll
  static void startEnsemble() throws Exception {
    ensemble = new TestingCluster(3);
    ensemble.start();
  }

  @AfterAll
  static void stopEnsemble() throws Exception {
    ensemble.close();
  }

  private static FrameworkInfo framework(String name) {
    return FrameworkInfo.newBuilder().setUser(System.getProperty("user.name")).setName(name)
        .setCheckpoint(true).setFailoverTimeout(3600).build();
  }

  private static TaskInfo sleeper(Offer offer, String id) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(offer.getSlaveId())
        .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32))
        .setCommand(CommandInfo.newBuilder().setValue("sleep 1000")).build();
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  private static Master awaitLeader(HaCluster cluster, List<Master> masters) {
    Master[] leader = new Master[1];
    await().atMost(WAIT).until(() -> {
      for (Master master : masters) {
        if (cluster.metric(master, "master/elected") == 1.0) {
          leader[0] = master;
          return true;
        }
      }
      return false;
    });
    return leader[0];
  }

  @Test
  void theStandbyRecoversTheRegistryAndTheAgentAndFrameworkComeBackWithTheTask() throws Exception {
    List<Throwable> fatal = new CopyOnWriteArrayList<>();
    try (HaCluster cluster = new HaCluster(ensemble.getConnectString(), "/failover-registry")) {
      Master first = cluster.startContendingMaster(fatal, Map.of());
      assertThat(awaitLeader(cluster, List.of(first))).isSameAs(first);
      Master second = cluster.startContendingMaster(fatal, Map.of());
      Agent agent = cluster.startAgent(cluster.zkUrl(), MessageTap.NONE);
      SlaveID agentId = HaCluster.awaitId(agent);
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("zk-failover"));
      driver.start();
      FrameworkID frameworkId = scheduler.registered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Offer offer = scheduler.nextOffers().get(0);
      TaskInfo task = sleeper(offer, "t1");
      driver.launchTasks(List.of(offer.getId()), List.of(task));
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      assertThat(cluster.metric(second, "master/elected")).isZero();

      // Weights set on the first leader are in the registry the second recovers.
      io.jmesos.http.HttpClient http = new io.jmesos.http.HttpClient("zk-failover-test");
      assertThat(http.request(first.address(), "PUT", "/weights", Map.of("Content-Type", "application/json"),
          "[{\"role\":\"web\",\"weight\":2.5}]".getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);

      first.close();
      assertThat(awaitLeader(cluster, List.of(second))).isSameAs(second);
      scheduler.reregistered().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> cluster.activeAgents(second).contains(agentId.getValue()));
      JsonNode state = cluster.state(second);
      assertThat(state.path("recovered_slaves")).isEmpty();
      assertThat(HaCluster.taskState(state, "t1")).isEqualTo("TASK_RUNNING");
      assertThat(state.path("frameworks").get(0).path("id").asText()).isEqualTo(frameworkId.getValue());
      assertThat(cluster.metric(second, "master/slave_reregistrations")).isEqualTo(1.0);
      assertThat(cluster.metric(second, "master/slave_registrations")).isZero();
      assertThat(cluster.metric(second, "registrar/state_fetch_ms")).isGreaterThanOrEqualTo(0.0);
      String weights = http.get(second.address(), "/weights").get(WAIT.toSeconds(), TimeUnit.SECONDS).bodyText();
      assertThat(weights).contains("\"role\":\"web\"").contains("2.5");
      http.close();

      driver.killTask(task.getTaskId());
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_KILLED);
      assertThat(fatal).isEmpty();
    }
  }

  @Test
  void aLeaderWhoseElectionNodeDisappearsStopsAndTheStandbyTakesOver() throws Exception {
    List<Throwable> fatal = new CopyOnWriteArrayList<>();
    try (HaCluster cluster = new HaCluster(ensemble.getConnectString(), "/expiry")) {
      Master first = cluster.startContendingMaster(fatal, Map.of());
      assertThat(awaitLeader(cluster, List.of(first))).isSameAs(first);
      Master second = cluster.startContendingMaster(fatal, Map.of());
      Agent agent = cluster.startAgent(cluster.zkUrl(), MessageTap.NONE);
      SlaveID agentId = HaCluster.awaitId(agent);

      // The leader's election node disappears (as when ZooKeeper expires its session; the expiry itself is in the
      // master's election.MasterElectionTest): the master gives up leading.
      try (CuratorFramework admin = CuratorFrameworkFactory.newClient(ensemble.getConnectString(),
          new RetryOneTime(100))) {
        admin.start();
        String leaderNode = admin.getChildren().forPath("/expiry").stream().filter(n -> n.startsWith("json.info_"))
            .sorted().findFirst().orElseThrow();
        admin.delete().forPath("/expiry/" + leaderNode);
      }
      await().atMost(WAIT).until(() -> !fatal.isEmpty());
      assertThat(fatal.get(0).getMessage()).contains("Lost candidacy");
      assertThat(awaitLeader(cluster, List.of(second))).isSameAs(second);
      await().atMost(WAIT).until(() -> cluster.activeAgents(second).contains(agentId.getValue()));
    }
  }

  @Test
  void oneZooKeeperServerOfThreeDyingChangesNothing() throws Exception {
    List<Throwable> fatal = new CopyOnWriteArrayList<>();
    try (HaCluster cluster = new HaCluster(ensemble.getConnectString(), "/one-server-down")) {
      Master master = cluster.startContendingMaster(fatal, Map.of());
      assertThat(awaitLeader(cluster, List.of(master))).isSameAs(master);
      InstanceSpec victim = ensemble.getInstances().iterator().next();
      assertThat(ensemble.killServer(victim)).isTrue();
      try {
        // A new agent's admission is a registry write through the remaining quorum of two.
        Agent agent = cluster.startAgent(cluster.zkUrl(), MessageTap.NONE);
        SlaveID id = HaCluster.awaitId(agent);
        // The leader's session may have been on the dead server: while Curator moves it to another one the
        // leader stops acting (503 "No leader elected", documented), then resumes with the same session.
        await().atMost(WAIT).ignoreExceptionsInstanceOf(IllegalStateException.class)
            .until(() -> cluster.activeAgents(master).contains(id.getValue()));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.metric(master, "master/elected") == 1.0);
        assertThat(fatal).isEmpty();
      } finally {
        ensemble.restartServer(victim);
      }
    }
  }
}
