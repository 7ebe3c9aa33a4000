package io.jmesos.it.fault;

import static io.jmesos.it.fault.Scenarios.framework;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.SlaveID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator's DEACTIVATE_AGENT and REACTIVATE_AGENT on real daemons, as Mesos 1.11 ({@code
 * MasterAPITest.DeactivateAgent}-style): a deactivated agent's offers are rescinded and it is offered no more, also
 * after a master failover (the registry keeps it deactivated), until it is reactivated; errors as Mesos words them.
 */
@Timeout(90)
class AgentDeactivationTest {
  @Test
  void deactivatedAgentIsNotOfferedAcrossAMasterFailoverUntilReactivated() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().durableRegistry().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler,
          framework("deactivation", true).toBuilder().setFailoverTimeout(3600).build());
      driver.start();
      List<Offer> offered = scheduler.nextOffers();
      SlaveID agent = offered.get(0).getSlaveId();
      OperatorApi operator = new OperatorApi(cluster);

      assertThat(operator.deactivateAgent(agent).statusCode()).isEqualTo(200);
      cluster.settle();
      JsonNode slave = cluster.masterState().path("slaves").get(0);
      assertThat(slave.path("deactivated").asBoolean()).isTrue();
      assertThat(slave.path("active").asBoolean()).isFalse();
      assertThat(cluster.masterState().path("frameworks").get(0).path("offers")).as("rescinded").isEmpty();
      assertThat(cluster.metric("master/slaves_active")).isZero();
      assertThat(cluster.metric("master/slaves_inactive")).isEqualTo(1.0);
      assertNoOffers(cluster, scheduler);

      cluster.restartMaster();
      for (int i = 0; i < 120 && cluster.masterState().path("slaves").isEmpty(); i++) {
        cluster.advance(Duration.ofMillis(500));
      }
      slave = cluster.masterState().path("slaves").get(0);
      assertThat(slave.path("id").asText()).isEqualTo(agent.getValue());
      assertThat(slave.path("deactivated").asBoolean()).as("kept by the registry").isTrue();
      for (int i = 0; i < 60 && !scheduler.reregistered().isDone(); i++) {
        cluster.advance(Duration.ofMillis(500));
      }
      scheduler.reregistered().get(10, TimeUnit.SECONDS);
      assertNoOffers(cluster, scheduler);

      assertThat(operator.reactivateAgent(agent).statusCode()).isEqualTo(200);
      cluster.advance(Duration.ofSeconds(1));
      assertThat(scheduler.nextOffers()).extracting(Offer::getSlaveId).containsExactly(agent);
      assertThat(cluster.masterState().path("slaves").get(0).path("deactivated").asBoolean()).isFalse();

      HttpResponse<String> again = operator.reactivateAgent(agent);
      assertThat(again.statusCode()).isEqualTo(400);
      assertThat(again.body()).isEqualTo("Agent is not deactivated");
      HttpResponse<String> unknown = operator.deactivateAgent(SlaveID.newBuilder().setValue("nobody").build());
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.body()).isEqualTo("Unknown agent");
      driver.stop();
    }
  }

  /** Allocation runs pass with the agent's resources free, and none of them is offered. */
  private static void assertNoOffers(FaultCluster cluster, RecordingScheduler scheduler) throws Exception {
    while (scheduler.pendingOffers() > 0) {
      scheduler.nextOffers();
    }
    for (int i = 0; i < 5; i++) {
      cluster.advance(Duration.ofSeconds(1));
    }
    cluster.settle();
    assertThat(scheduler.pendingOffers()).isZero();
  }
}
