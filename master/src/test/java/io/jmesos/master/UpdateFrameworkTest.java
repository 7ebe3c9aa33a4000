package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** UPDATE_FRAMEWORK, after Mesos' {@code UpdateFrameworkTest}. */
@Timeout(60)
class UpdateFrameworkTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration ALLOCATION_INTERVAL = Duration.ofSeconds(1);
  private TestCluster cluster;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    http = new HttpClient("update-framework-test");
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    cluster.close();
  }

  private static FrameworkInfo.Builder multiRole(String... roles) {
    return TestScheduler.frameworkInfo().setFailoverTimeout(60).addAllRoles(List.of(roles))
        .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE));
  }

  private static HttpResponse update(TestScheduler scheduler, FrameworkInfo.Builder info, String... suppressed)
      throws Exception {
    return scheduler.call(Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK)
        .setUpdateFramework(Call.UpdateFramework.newBuilder()
            .setFrameworkInfo(info.setId(scheduler.frameworkId()))
            .addAllSuppressedRoles(List.of(suppressed))));
  }

  private JsonNode stateOfTheFramework() throws Exception {
    HttpResponse r = http.get(cluster.address, "/state").get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    JsonNode frameworks = MAPPER.readTree(r.body()).get("frameworks");
    assertThat(frameworks).hasSize(1);
    return frameworks.get(0);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void mutableFieldsAreUpdatedAndAnswered200(boolean json) throws Exception {
    TestScheduler scheduler = cluster.scheduler(json);
    scheduler.subscribe(multiRole("web").build());

    HttpResponse response = update(scheduler, multiRole("web", "batch")
        .setName("renamed")
        .setFailoverTimeout(3600)
        .setHostname("scheduler-host")
        .setWebuiUrl("http://scheduler-host:8080")
        .setLabels(Labels.newBuilder().addLabels(Label.newBuilder().setKey("team").setValue("infra")))
        .addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.REGION_AWARE)));

    assertThat(response.status()).isEqualTo(200);
    JsonNode framework = stateOfTheFramework();
    assertThat(framework.get("name").asText()).isEqualTo("renamed");
    assertThat(texts(framework.get("roles"))).containsExactly("web", "batch");
    assertThat(framework.get("failover_timeout").asDouble()).isEqualTo(3600.0);
    assertThat(framework.get("hostname").asText()).isEqualTo("scheduler-host");
    assertThat(framework.get("webui_url").asText()).isEqualTo("http://scheduler-host:8080");
    assertThat(texts(framework.get("capabilities"))).containsExactly("MULTI_ROLE", "REGION_AWARE");
    assertThat(framework.get("connected").asBoolean()).isTrue();
  }

  @Test
  void userPrincipalAndCheckpointCannotChangeAndNothingIsApplied() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(multiRole("web").setPrincipal("ops").build());

    HttpResponse user = update(scheduler, multiRole("web").setPrincipal("ops").setName("x").setUser("root"));
    HttpResponse principal = update(scheduler, multiRole("web").setPrincipal("other").setName("x"));
    HttpResponse noPrincipal = update(scheduler, multiRole("web").setName("x"));
    HttpResponse checkpoint = update(scheduler, multiRole("web").setPrincipal("ops").setName("x")
        .setCheckpoint(true));

    assertThat(user.status()).isEqualTo(400);
    assertThat(user.bodyText()).isEqualTo("FrameworkInfo update is not valid: Updating 'FrameworkInfo.user' is"
        + " unsupported; attempted to update from 'tester' to 'root'");
    assertThat(principal.status()).isEqualTo(400);
    assertThat(principal.bodyText()).contains("Changing framework's principal is not allowed");
    assertThat(noPrincipal.status()).isEqualTo(400);
    assertThat(noPrincipal.bodyText()).contains("Changing framework's principal is not allowed");
    assertThat(checkpoint.status()).isEqualTo(400);
    assertThat(checkpoint.bodyText()).contains("Updating 'FrameworkInfo.checkpoint' is unsupported");
    JsonNode framework = stateOfTheFramework();
    assertThat(framework.get("name").asText()).isEqualTo("test-framework");
    assertThat(framework.get("user").asText()).isEqualTo("tester");
    assertThat(framework.get("checkpoint").asBoolean()).isFalse();
  }

  @Test
  void frameworkInfoIdMustBeTheCallersFrameworkId() throws Exception {
    TestScheduler scheduler = cluster.scheduler(false);
    scheduler.subscribe(multiRole("web").build());

    HttpResponse other = scheduler.call(Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK)
        .setUpdateFramework(Call.UpdateFramework.newBuilder().setFrameworkInfo(multiRole("web")
            .setId(FrameworkID.newBuilder().setValue("someone-else")))));
    HttpResponse none = scheduler.call(Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK)
        .setUpdateFramework(Call.UpdateFramework.newBuilder().setFrameworkInfo(multiRole("web"))));

    for (HttpResponse r : List.of(other, none)) {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.bodyText()).isEqualTo(
          "Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'");
    }
  }

  @Test
  void missingRequiredFieldsAre400() throws Exception {
    TestScheduler scheduler = cluster.scheduler(false);
    scheduler.subscribe(multiRole("web").build());
    Call withoutUser = Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK)
        .setFrameworkId(scheduler.frameworkId())
        .setUpdateFramework(Call.UpdateFramework.newBuilder().setFrameworkInfo(FrameworkInfo.newBuilder()
            .setName("no-user").setId(scheduler.frameworkId()).buildPartial()).buildPartial())
        .buildPartial();

    HttpResponse r = scheduler.post(withoutUser, Map.of("Mesos-Stream-Id", scheduler.streamId()));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).startsWith("Failed to parse body into Call protobuf");
  }

  @Test
  void invalidRolesAndForeignSuppressedRolesAre400() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(multiRole("web").build());

    HttpResponse badRole = update(scheduler, multiRole("bad role"));
    HttpResponse duplicate = update(scheduler, multiRole("web", "web"));
    HttpResponse foreignSuppressed = update(scheduler, multiRole("web"), "batch");

    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.bodyText()).startsWith("Supplied FrameworkInfo is not valid: Invalid role 'bad role'");
    assertThat(duplicate.status()).isEqualTo(400);
    assertThat(duplicate.bodyText()).contains("duplicate role 'web'");
    assertThat(foreignSuppressed.status()).isEqualTo(400);
    assertThat(foreignSuppressed.bodyText()).isEqualTo("'UpdateFramework' call is not valid: Suppressed roles"
        + " [batch] are not contained in the set of roles");
  }

  @Test
  void addingARoleBringsOffersForIt() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(multiRole().build());
    cluster.agent("cpus:2;mem:1024");
    cluster.advance(ALLOCATION_INTERVAL);
    assertThat(scheduler.poll(100)).isNull();

    assertThat(update(scheduler, multiRole("new_role")).status()).isEqualTo(200);
    cluster.advance(ALLOCATION_INTERVAL);

    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(offer.getAllocationInfo().getRole()).isEqualTo("new_role");
  }

  @Test
  void removingARoleRescindsItsOffers() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(multiRole("web").build());
    cluster.agent("cpus:2;mem:1024");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);

    assertThat(update(scheduler, multiRole()).status()).isEqualTo(200);

    assertThat(scheduler.expect(Event.Type.RESCIND).getRescind().getOfferId()).isEqualTo(offer.getId());
    cluster.advance(ALLOCATION_INTERVAL);
    assertThat(scheduler.poll(100)).isNull();
    assertThat(stateOfTheFramework().get("offered_resources").get("cpus").asDouble()).isEqualTo(0.0);
  }

  @Test
  void suppressedRolesGoToTheAllocatorAndReviveLiftsThem() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(multiRole().build());
    cluster.agent("cpus:2;mem:1024");

    assertThat(update(scheduler, multiRole("new_role"), "new_role").status()).isEqualTo(200);
    cluster.advance(ALLOCATION_INTERVAL);
    assertThat(scheduler.poll(100)).isNull();

    assertThat(scheduler.call(Call.newBuilder().setType(Call.Type.REVIVE)).status()).isEqualTo(202);
    cluster.advance(ALLOCATION_INTERVAL);

    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(offer.getAllocationInfo().getRole()).isEqualTo("new_role");
  }

  @Test
  void anUpdateWithoutSuppressedRolesUnsuppresses() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.open(Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
        .setFrameworkInfo(multiRole("web")).addSuppressedRoles("web")).build());
    FrameworkID id = scheduler.expect(Event.Type.SUBSCRIBED).getSubscribed().getFrameworkId();
    cluster.agent("cpus:2;mem:1024");
    cluster.advance(ALLOCATION_INTERVAL);
    assertThat(scheduler.poll(100)).isNull();

    HttpResponse r = scheduler.post(Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK).setFrameworkId(id)
        .setUpdateFramework(Call.UpdateFramework.newBuilder().setFrameworkInfo(multiRole("web").setId(id)))
        .build(), Map.of("Mesos-Stream-Id", scheduler.streamId()));
    assertThat(r.status()).isEqualTo(200);
    cluster.advance(ALLOCATION_INTERVAL);

    assertThat(scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0).getAllocationInfo().getRole())
        .isEqualTo("web");
  }
}
