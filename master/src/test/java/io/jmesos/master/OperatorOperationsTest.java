package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.ApplyOperationMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.json.MesosJson;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import io.jmesos.transport.Limits;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator's reservations and volumes (Mesos' {@code reservation_endpoints_tests} and {@code
 * persistent_volume_endpoints_tests}): /reserve, /unreserve, /create-volumes, /destroy-volumes and the
 * RESERVE_RESOURCES ... calls, with Mesos' status codes, offers rescinded to free what is needed, and the
 * reserved resources offered to their role.
 */
@Timeout(60)
class OperatorOperationsTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String RESERVED_CPU = "[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1},"
      + "\"reservations\":[{\"type\":\"DYNAMIC\",\"role\":\"role1\",\"principal\":\"ops\"}]}]";
  private static final String RESERVED_DISK = "[{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":256},"
      + "\"reservations\":[{\"type\":\"DYNAMIC\",\"role\":\"role1\",\"principal\":\"ops\"}]}]";
  private static final String VOLUME = "[{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":256},"
      + "\"reservations\":[{\"type\":\"DYNAMIC\",\"role\":\"role1\",\"principal\":\"ops\"}],"
      + "\"disk\":{\"persistence\":{\"id\":\"v1\",\"principal\":\"ops\"},"
      + "\"volume\":{\"container_path\":\"data\",\"mode\":\"RW\"}}}]";

  private TestCluster cluster;
  private final HttpClient http = new HttpClient("operator-operations-test");

  @AfterEach
  void stop() {
    http.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  private FakeAgent start(Map<String, String> extraFlags) throws Exception {
    Map<String, String> flags = new java.util.HashMap<>(Map.of("ip", "127.0.0.1", "port", "0", "registry",
        "in_memory"));
    flags.putAll(extraFlags);
    cluster = new TestCluster(MasterFlags.of(flags), Limits.DEFAULT);
    return cluster.agent("cpus:2;mem:1024;disk:1024");
  }

  private HttpResponse form(String path, String body) throws Exception {
    return http.post(cluster.address, path, FORM, body.getBytes(StandardCharsets.UTF_8), Map.of())
        .get(10, TimeUnit.SECONDS);
  }

  private static String param(String name, String value) {
    return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpResponse operator(Call call) throws Exception {
    return http.request(cluster.address, "POST", "/api/v1", Map.of("Content-Type", MediaTypes.JSON,
        "Accept", MediaTypes.JSON), MesosJson.printBytes(call)).get(10, TimeUnit.SECONDS);
  }

  private static FrameworkInfo role1() {
    return TestScheduler.frameworkInfo().addRoles("role1").addCapabilities(FrameworkInfo.Capability.newBuilder()
        .setType(FrameworkInfo.Capability.Type.MULTI_ROLE)).build();
  }

  @Test
  void reserveEndpointReservesAndTheRoleIsOfferedTheReservation() throws Exception {
    FakeAgent agent = start(Map.of());
    String slave = "slaveId=" + agent.id().getValue();

    HttpResponse reserved = form("/master/reserve", slave + "&" + param("resources", RESERVED_CPU));
    assertThat(reserved.status()).isEqualTo(202);
    ApplyOperationMessage apply = agent.expect(ApplyOperationMessage.getDefaultInstance());
    assertThat(apply.hasFrameworkId()).as("an operator's operation has no framework").isFalse();
    assertThat(apply.getOperationInfo().getReserve().getResources(0).getReservations(0).getRole())
        .isEqualTo("role1");

    TestScheduler scheduler = cluster.scheduler(false);
    scheduler.subscribe(role1());
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(offer.getResourcesList().stream().filter(r -> r.getReservationsCount() > 0).toList())
        .singleElement().satisfies(r -> {
          assertThat(r.getName()).isEqualTo("cpus");
          assertThat(r.getReservations(0).getRole()).isEqualTo("role1");
        });

    // GET_OPERATIONS lists it until the agent reports it finished.
    HttpResponse operations = operator(Call.newBuilder().setType(Call.Type.GET_OPERATIONS).build());
    Response listed = MesosJson.parse(operations.body(), Response.newBuilder()).build();
    assertThat(listed.getGetOperations().getOperationsList()).singleElement()
        .satisfies(op -> assertThat(op.getInfo().getType()).isEqualTo(Offer.Operation.Type.RESERVE));

    // /slaves shows the reservation, also in full.
    JsonNode state = new ObjectMapper().readTree(http.get(cluster.address, "/slaves").get(10, TimeUnit.SECONDS)
        .body());
    JsonNode slaveJson = state.get("slaves").get(0);
    assertThat(slaveJson.get("reserved_resources").get("role1").get("cpus").asDouble()).isEqualTo(1.0);
    assertThat(slaveJson.get("unreserved_resources").get("cpus").asDouble()).isEqualTo(1.0);
    JsonNode full = slaveJson.get("reserved_resources_full").get("role1").get(0);
    assertThat(full.get("name").asText()).isEqualTo("cpus");
    assertThat(full.get("reservations").get(0).get("principal").asText()).isEqualTo("ops");
    assertThat(full.get("reservations").get(0).get("type").asText()).isEqualTo("DYNAMIC");

    // /roles shows role1's reservation.
    JsonNode roles = new ObjectMapper().readTree(http.get(cluster.address, "/roles").get(10, TimeUnit.SECONDS)
        .body()).get("roles");
    JsonNode role1 = null;
    for (JsonNode role : roles) {
      if (role.get("name").asText().equals("role1")) {
        role1 = role;
      }
    }
    assertThat(role1).isNotNull();
    assertThat(role1.get("reserved").get("cpus").asDouble()).isEqualTo(1.0);

    // Unreserving what is offered rescinds the offer first.
    HttpResponse unreserved = form("/unreserve", slave + "&" + param("resources", RESERVED_CPU));
    assertThat(unreserved.status()).isEqualTo(202);
    assertThat(scheduler.expect(Event.Type.RESCIND).getRescind().getOfferId()).isEqualTo(offer.getId());
    assertThat(agent.expect(ApplyOperationMessage.getDefaultInstance()).getOperationInfo().getType())
        .isEqualTo(org.apache.mesos.Protos.Offer.Operation.Type.UNRESERVE);
  }

  @Test
  void reservingResourcesUsedByATaskIsAConflict() throws Exception {
    FakeAgent agent = start(Map.of());
    TestScheduler scheduler = cluster.scheduler(false);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    scheduler.call(V1.launch(offer, V1.commandTask("t1", offer.getAgentId(), "cpus:2;mem:128")));
    agent.expect(RunTaskMessage.getDefaultInstance());

    HttpResponse conflict = form("/reserve", "slaveId=" + agent.id().getValue() + "&"
        + param("resources", RESERVED_CPU));
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(agent.hasQueued(ApplyOperationMessage.getDefaultInstance())).isFalse();
  }

  @Test
  void badRequestsAreAnsweredAsMesos() throws Exception {
    FakeAgent agent = start(Map.of());
    HttpResponse missing = form("/reserve", param("resources", RESERVED_CPU));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.bodyText()).isEqualTo("Missing 'slaveId' query parameter in the request body");

    HttpResponse noResources = form("/reserve", "slaveId=" + agent.id().getValue());
    assertThat(noResources.bodyText()).isEqualTo("Missing 'resources' query parameter in the request body");

    HttpResponse noVolumes = form("/create-volumes", "slaveId=" + agent.id().getValue());
    assertThat(noVolumes.bodyText()).isEqualTo("Missing 'volumes' query parameter in the request body");

    HttpResponse unknown = form("/reserve", "slaveId=nope&" + param("resources", RESERVED_CPU));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.bodyText()).isEqualTo("No agent found with specified ID");

    HttpResponse notReserved = form("/unreserve", "slaveId=" + agent.id().getValue() + "&"
        + param("resources", "[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1}}]"));
    assertThat(notReserved.status()).isEqualTo(400);
    assertThat(notReserved.bodyText()).isEqualTo("Invalid UNRESERVE operation: Resource cpus:1 is not"
        + " dynamically reserved");

    assertThat(http.get(cluster.address, "/reserve").get(10, TimeUnit.SECONDS).status()).isEqualTo(405);
  }

  @Test
  void volumesAreCreatedAndDestroyedOnReservedDisk() throws Exception {
    FakeAgent agent = start(Map.of());
    String slave = "slaveId=" + agent.id().getValue();
    assertThat(form("/reserve", slave + "&" + param("resources", RESERVED_DISK)).status()).isEqualTo(202);
    assertThat(form("/create-volumes", slave + "&" + param("volumes", VOLUME)).status()).isEqualTo(202);
    agent.expect(ApplyOperationMessage.getDefaultInstance());
    assertThat(agent.expect(ApplyOperationMessage.getDefaultInstance()).getOperationInfo().getCreate()
        .getVolumes(0).getDisk().getPersistence().getId()).isEqualTo("v1");

    HttpResponse again = form("/create-volumes", slave + "&" + param("volumes", VOLUME));
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.bodyText()).endsWith(": Persistence ID 'v1' is not unique");

    assertThat(form("/destroy-volumes", slave + "&" + param("volumes", VOLUME)).status()).isEqualTo(202);
    assertThat(agent.expect(ApplyOperationMessage.getDefaultInstance()).getOperationInfo().getType())
        .isEqualTo(org.apache.mesos.Protos.Offer.Operation.Type.DESTROY);
    HttpResponse gone = form("/destroy-volumes", slave + "&" + param("volumes", VOLUME));
    assertThat(gone.status()).isEqualTo(400);
    assertThat(gone.bodyText()).isEqualTo("Invalid DESTROY operation: Persistent volumes not found");
  }

  @Test
  void reserveResourcesCallIsAcceptedAndRefusedByAcls() throws Exception {
    FakeAgent agent = start(Map.of("acls", "{\"permissive\": true, \"reserve_resources\": [{\"principals\":"
        + " {\"type\": \"ANY\"}, \"roles\": {\"values\": [\"role2\"]}}, {\"principals\": {\"type\": \"ANY\"},"
        + " \"roles\": {\"type\": \"NONE\"}}]}"));
    Call.Builder call = Call.newBuilder().setType(Call.Type.RESERVE_RESOURCES);
    call.getReserveResourcesBuilder().setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder()
        .setValue(agent.id().getValue()));
    MesosJson.parse("{\"resources\": " + RESERVED_CPU + "}", call.getReserveResourcesBuilder());
    assertThat(operator(call.build()).status()).isEqualTo(403);
    assertThat(agent.hasQueued(ApplyOperationMessage.getDefaultInstance())).isFalse();

    Call.Builder allowed = call.clone();
    allowed.getReserveResourcesBuilder().getResourcesBuilder(0).getReservationsBuilder(0).setRole("role2");
    assertThat(operator(allowed.build()).status()).isEqualTo(202);
    assertThat(agent.expect(ApplyOperationMessage.getDefaultInstance()).getOperationInfo().getReserve()
        .getResources(0).getReservations(0).getRole()).isEqualTo("role2");
  }

  @Test
  void frameworkReserveRefusedByAclsIsAnOperationError() throws Exception {
    FakeAgent agent = start(Map.of("acls", "{\"reserve_resources\": [{\"principals\": {\"values\": [\"ops\"]},"
        + " \"roles\": {\"type\": \"NONE\"}}]}"));
    TestScheduler scheduler = cluster.scheduler(false);
    scheduler.subscribe(role1().toBuilder().setPrincipal("ops").build());
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    org.apache.mesos.v1.Protos.Resource cpu = V1.resources("cpus:1", "role1").get(0).toBuilder()
        .addReservations(org.apache.mesos.v1.Protos.Resource.ReservationInfo.newBuilder()
            .setType(org.apache.mesos.v1.Protos.Resource.ReservationInfo.Type.DYNAMIC).setRole("role1")
            .setPrincipal("ops")).build();
    scheduler.call(org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
        .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.ACCEPT)
        .setAccept(org.apache.mesos.v1.scheduler.Protos.Call.Accept.newBuilder().addOfferIds(offer.getId())
            .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.RESERVE)
                .setId(org.apache.mesos.v1.Protos.OperationID.newBuilder().setValue("acl"))
                .setReserve(Offer.Operation.Reserve.newBuilder().addResources(cpu)))));
    var status = scheduler.expect(Event.Type.UPDATE_OPERATION_STATUS).getUpdateOperationStatus().getStatus();
    assertThat(status.getState()).isEqualTo(org.apache.mesos.v1.Protos.OperationState.OPERATION_ERROR);
    assertThat(status.getMessage()).startsWith("Principal 'ops' no authorized to perform action RESERVE_RESOURCES"
        + " on object ");
    assertThat(agent.hasQueued(ApplyOperationMessage.getDefaultInstance())).isFalse();
  }

  @Test
  void growAndShrinkVolumeCallsResizeAVolume() throws Exception {
    FakeAgent agent = start(Map.of());
    String slave = "slaveId=" + agent.id().getValue();
    form("/reserve", slave + "&" + param("resources", RESERVED_DISK.replace("256", "512")));
    form("/create-volumes", slave + "&" + param("volumes", VOLUME));
    agent.expect(ApplyOperationMessage.getDefaultInstance());
    agent.expect(ApplyOperationMessage.getDefaultInstance());

    Call.Builder grow = Call.newBuilder().setType(Call.Type.GROW_VOLUME);
    grow.getGrowVolumeBuilder().setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder()
        .setValue(agent.id().getValue()));
    MesosJson.parse("{\"volume\": " + VOLUME.substring(1, VOLUME.length() - 1) + ", \"addition\": "
        + RESERVED_DISK.substring(1, RESERVED_DISK.length() - 1).replace("256", "100") + "}",
        grow.getGrowVolumeBuilder());
    assertThat(operator(grow.build()).status()).isEqualTo(202);
    assertThat(agent.expect(ApplyOperationMessage.getDefaultInstance()).getOperationInfo().getType())
        .isEqualTo(org.apache.mesos.Protos.Offer.Operation.Type.GROW_VOLUME);

    Call.Builder shrink = Call.newBuilder().setType(Call.Type.SHRINK_VOLUME);
    shrink.getShrinkVolumeBuilder().setAgentId(grow.getGrowVolume().getAgentId())
        .setVolume(grow.getGrowVolume().getVolume().toBuilder()
            .setScalar(org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(356)))
        .setSubtract(org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(300));
    assertThat(operator(shrink.build()).status()).isEqualTo(202);
    assertThat(agent.expect(ApplyOperationMessage.getDefaultInstance()).getOperationInfo().getType())
        .isEqualTo(org.apache.mesos.Protos.Offer.Operation.Type.SHRINK_VOLUME);

    // The volume is 56 now: one of 356 is no longer there to shrink, a conflict as in Mesos (updateAvailable).
    HttpResponse gone = operator(shrink.build());
    assertThat(gone.status()).isEqualTo(409);
  }
}
