package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.allocator.Quota;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.testing.RecordingAllocator;
import io.jmesos.master.testing.RecordingAllocator.QuotaUpdate;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import io.jmesos.transport.Limits;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Role;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.Protos.WeightInfo;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;
import org.apache.mesos.v1.quota.Protos.QuotaInfo;
import org.apache.mesos.v1.quota.Protos.QuotaRequest;
import org.apache.mesos.v1.quota.Protos.QuotaStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET/UPDATE_WEIGHTS, GET/UPDATE_QUOTA and the deprecated SET/REMOVE_QUOTA on {@code POST /api/v1}. */
@Timeout(60)
@SuppressWarnings("deprecation") // SET_QUOTA, REMOVE_QUOTA and QuotaStatus.infos are deprecated, still served.
class WeightsAndQuotaApiTest {
  private TestCluster cluster;
  private RecordingAllocator allocator;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(MasterFlags.of(Map.of("ip", "127.0.0.1", "port", "0", "registry", "in_memory",
            "weights", "ops=3")),
        Limits.DEFAULT, a -> allocator = new RecordingAllocator(a));
    http = new HttpClient("weights-quota-test");
  }

  @AfterEach
  void stop() {
    http.close();
    cluster.close();
  }

  // ---- Weights ----

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void weightsStartFromTheFlagAndUpdatesReachTheAllocator(boolean json) throws Exception {
    assertThat(weights(json)).containsExactly(weight("ops", 3.0));

    HttpResponse update = post(Call.newBuilder().setType(Call.Type.UPDATE_WEIGHTS)
        .setUpdateWeights(Call.UpdateWeights.newBuilder().addWeightInfos(weight(" web ", 2.5))
            .addWeightInfos(weight("ops", 1.5))).build(), json);
    assertThat(update.status()).as(update.bodyText()).isEqualTo(200);
    assertThat(update.body()).isEmpty();

    assertThat(weights(json)).containsExactly(weight("ops", 1.5), weight("web", 2.5));
    cluster.settle();
    assertThat(allocator.weightUpdates).containsExactly(Map.of("ops", 3.0), Map.of("web", 2.5, "ops", 1.5));

    List<Role> roles = call(Call.Type.GET_ROLES, json).getGetRoles().getRolesList();
    assertThat(roles).extracting(Role::getName).containsExactly("ops", "web");
    assertThat(roles).extracting(Role::getWeight).containsExactly(1.5, 2.5);
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void badWeightsAre400WithMesosMessagesAndChangeNothing(boolean json) throws Exception {
    HttpResponse negative = updateWeights(json, weight("web", 2), weight("batch", -1));
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.bodyText()).isEqualTo("Failed to validate update weights request JSON for role 'batch': "
        + "Invalid weight '-1': Weights must be positive");

    HttpResponse zero = updateWeights(json, weight("web", 0));
    assertThat(zero.bodyText()).isEqualTo("Failed to validate update weights request JSON for role 'web': "
        + "Invalid weight '0': Weights must be positive");

    HttpResponse badRole = updateWeights(json, weight("a//b", 2));
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.bodyText()).isEqualTo("Failed to validate update weights request JSON: Invalid role "
        + "'a//b': Role 'a//b' cannot contain two adjacent slashes");

    HttpResponse noField = post(Call.newBuilder().setType(Call.Type.UPDATE_WEIGHTS).build(), json);
    assertThat(noField.status()).isEqualTo(400);
    assertThat(noField.bodyText()).isEqualTo("Failed to validate master::Call: Expecting 'update_weights' to be "
        + "present");

    assertThat(weights(json)).containsExactly(weight("ops", 3.0));
    cluster.settle();
    assertThat(allocator.weightUpdates).containsExactly(Map.of("ops", 3.0));
  }

  @Test
  void updatingTheWeightOfARoleInUseRescindsOutstandingOffers() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    cluster.agent("cpus:2;mem:1024");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);

    // A role without frameworks: offers stay.
    assertThat(updateWeights(true, weight("idle", 2)).status()).isEqualTo(200);
    assertThat(scheduler.poll(200)).isNull();

    assertThat(updateWeights(true, weight("*", 2)).status()).isEqualTo(200);
    assertThat(scheduler.expect(Event.Type.RESCIND).getRescind().getOfferId()).isEqualTo(offer.getId());
    // The resources went back to the allocator, which offers them again.
    Offer again = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(again.getId()).isNotEqualTo(offer.getId());
    assertThat(again.getResourcesList()).isEqualTo(offer.getResourcesList());
  }

  // ---- Quota ----

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void updateQuotaSetsGuaranteesAndLimitsAndGetQuotaShowsThem(boolean json) throws Exception {
    cluster.agent("cpus:4;mem:4096");
    assertThat(call(Call.Type.GET_QUOTA, json).getGetQuota().getStatus()).isEqualTo(QuotaStatus.getDefaultInstance());

    HttpResponse update = updateQuota(json, false, config("web", Map.of("cpus", 1.0), Map.of("cpus", 2.0,
        "mem", 2048.0)));
    assertThat(update.status()).as(update.bodyText()).isEqualTo(200);

    QuotaStatus status = call(Call.Type.GET_QUOTA, json).getGetQuota().getStatus();
    assertThat(status.getConfigsList()).containsExactly(config("web", Map.of("cpus", 1.0),
        Map.of("cpus", 2.0, "mem", 2048.0)));
    assertThat(status.getInfosList()).containsExactly(QuotaInfo.newBuilder().setRole("web")
        .addAllGuarantee(V1.resources("cpus:1", "*").stream().map(r -> r.toBuilder().clearRole()
            .clearAllocationInfo().build()).toList()).build());
    cluster.settle();
    assertThat(allocator.quotaUpdates).containsExactly(new QuotaUpdate("web",
        new Quota(Map.of("cpus", 1.0), Map.of("cpus", 2.0, "mem", 2048.0))));

    // An empty config removes the quota.
    assertThat(updateQuota(json, false, config("web", Map.of(), Map.of())).status()).isEqualTo(200);
    assertThat(call(Call.Type.GET_QUOTA, json).getGetQuota().getStatus().getConfigsCount()).isZero();
    cluster.settle();
    assertThat(allocator.quotaUpdates).last().isEqualTo(new QuotaUpdate("web", Quota.NONE));
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void guaranteesBeyondCapacityNeedForce(boolean json) throws Exception {
    cluster.agent("cpus:4;mem:4096");
    QuotaConfig big = config("web", Map.of("cpus", 8.0), Map.of());

    HttpResponse refused = updateQuota(json, false, big);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.bodyText()).isEqualTo("Invalid QuotaConfig: total quota guarantees 'cpus:8' exceed cluster "
        + "capacity 'cpus:4; mem:4096' (use 'force' flag to bypass this check)");
    assertThat(call(Call.Type.GET_QUOTA, json).getGetQuota().getStatus().getConfigsCount()).isZero();

    HttpResponse forced = updateQuota(json, true, big);
    assertThat(forced.status()).as(forced.bodyText()).isEqualTo(200);
    assertThat(call(Call.Type.GET_QUOTA, json).getGetQuota().getStatus().getConfigsList()).containsExactly(big);
    cluster.settle();
    assertThat(allocator.quotaUpdates).containsExactly(new QuotaUpdate("web",
        new Quota(Map.of("cpus", 8.0), Map.of())));
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void invalidQuotaConfigsAre400WithMesosMessages(boolean json) throws Exception {
    cluster.agent("cpus:4;mem:4096");
    assertThat(updateQuota(json, false, config("web", Map.of("cpus", 2.0), Map.of("cpus", 1.0))).bodyText())
        .isEqualTo("Invalid QuotaConfig: 'QuotaConfig.guarantees' { cpus: 2 } is not contained within the "
            + "'QuotaConfig.limits' { cpus: 1 }");
    assertThat(updateQuota(json, false, config("web", Map.of("cpus", -1.0), Map.of())).bodyText())
        .isEqualTo("Invalid QuotaConfig: Invalid guarantee configuration {'cpus': -1}: Negative values not "
            + "supported");
    assertThat(updateQuota(json, false, config("web", Map.of(), Map.of("mem", 2e12))).bodyText())
        .isEqualTo("Invalid QuotaConfig: Invalid 'QuotaConfig.limits': {'mem': 2000000000000} is invalid: values "
            + "greater than 1 exabyte (1099511627776) are not supported");
    assertThat(updateQuota(json, false, config("eng/web", Map.of("cpus", 1.0), Map.of())).bodyText())
        .isEqualTo("Updating quota on nested role 'eng/web' is not supported yet");
    assertThat(updateQuota(json, false, config("-web", Map.of("cpus", 1.0), Map.of())).bodyText())
        .isEqualTo("Invalid QuotaConfig: Invalid 'QuotaConfig.role': Role '-web' cannot have a component "
            + "starting with '-'");
    HttpResponse r = updateQuota(json, false, config("web", Map.of(), Map.of("cpus", 1.0)));
    assertThat(r.status()).isEqualTo(200);
    assertThat(call(Call.Type.GET_QUOTA, json).getGetQuota().getStatus().getConfigsList())
        .extracting(QuotaConfig::getRole).containsExactly("web");
  }

  @Test
  void aLimitBelowWhatTheRoleConsumesNeedsForce() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(inRole("web"));
    cluster.agent("cpus:4;mem:4096");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    scheduler.call(V1.launch(offer, V1.commandTask("t1", offer.getAgentId(), "cpus:2;mem:128").toBuilder()
        .clearResources().addAllResources(V1.resources("cpus:2;mem:128", "web")).build()));
    cluster.settle();

    HttpResponse refused = updateQuota(true, false, config("web", Map.of(), Map.of("cpus", 1.0)));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.bodyText()).isEqualTo("Invalid QuotaConfig: Role 'web' is already consuming 'cpus:2; "
        + "mem:128'; this is more than the requested limits 'cpus:1' (use 'force' flag to bypass this check)");

    assertThat(updateQuota(true, true, config("web", Map.of(), Map.of("cpus", 1.0))).status()).isEqualTo(200);
  }

  @Test
  void aLimitRescindsOffersThatWouldBreachIt() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(inRole("web"));
    cluster.agent("cpus:4;mem:4096");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);

    assertThat(updateQuota(true, false, config("web", Map.of(), Map.of("cpus", 8.0))).status()).isEqualTo(200);
    assertThat(scheduler.poll(200)).isNull();

    assertThat(updateQuota(true, false, config("web", Map.of(), Map.of("cpus", 1.0))).status()).isEqualTo(200);
    assertThat(scheduler.expect(Event.Type.RESCIND).getRescind().getOfferId()).isEqualTo(offer.getId());
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void deprecatedSetAndRemoveQuota(boolean json) throws Exception {
    cluster.agent("cpus:4;mem:4096");
    QuotaRequest request = QuotaRequest.newBuilder().setRole("web")
        .addAllGuarantee(V1.resources("cpus:2;mem:512", "*").stream().map(r -> r.toBuilder().clearRole()
            .clearAllocationInfo().build()).toList()).build();
    Call set = Call.newBuilder().setType(Call.Type.SET_QUOTA)
        .setSetQuota(Call.SetQuota.newBuilder().setQuotaRequest(request)).build();
    assertThat(post(set, json).status()).isEqualTo(200);
    assertThat(call(Call.Type.GET_QUOTA, json).getGetQuota().getStatus().getConfigsList())
        .containsExactly(config("web", Map.of("cpus", 2.0, "mem", 512.0), Map.of("cpus", 2.0, "mem", 512.0)));

    HttpResponse again = post(set, json);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.bodyText()).isEqualTo("Failed to validate set quota request: Cannot set quota for role 'web' "
        + "which already has quota");

    HttpResponse tooBig = post(Call.newBuilder().setType(Call.Type.SET_QUOTA).setSetQuota(Call.SetQuota.newBuilder()
        .setQuotaRequest(request.toBuilder().setRole("batch").setGuarantee(0, request.getGuarantee(0).toBuilder()
            .setScalar(Value.Scalar.newBuilder().setValue(3))))).build(), json);
    assertThat(tooBig.status()).isEqualTo(409);
    assertThat(tooBig.bodyText()).isEqualTo("Quota guarantees overcommit the cluster (use 'force' to bypass this "
        + "check): Total quota guarantees 'cpus:5; mem:1024' exceed cluster capacity 'cpus:4; mem:4096'");

    Call remove = Call.newBuilder().setType(Call.Type.REMOVE_QUOTA)
        .setRemoveQuota(Call.RemoveQuota.newBuilder().setRole("web")).build();
    assertThat(post(remove, json).status()).isEqualTo(200);
    assertThat(call(Call.Type.GET_QUOTA, json).getGetQuota().getStatus().getConfigsCount()).isZero();
    HttpResponse missing = post(remove, json);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.bodyText()).isEqualTo("Failed to remove quota: Role 'web' has no quota set");
    cluster.settle();
    assertThat(allocator.quotaUpdates).extracting(QuotaUpdate::role).containsExactly("web", "web");
    assertThat(allocator.quotaUpdates.get(1).quota()).isEqualTo(Quota.NONE);
  }

  // ---- Helpers ----

  private static FrameworkInfo inRole(String role) {
    return TestScheduler.frameworkInfo().addRoles(role).addCapabilities(FrameworkInfo.Capability.newBuilder()
        .setType(FrameworkInfo.Capability.Type.MULTI_ROLE)).build();
  }

  private static WeightInfo weight(String role, double weight) {
    return WeightInfo.newBuilder().setRole(role).setWeight(weight).build();
  }

  private static QuotaConfig config(String role, Map<String, Double> guarantees, Map<String, Double> limits) {
    QuotaConfig.Builder config = QuotaConfig.newBuilder().setRole(role);
    guarantees.forEach((name, value) -> config.putGuarantees(name, Value.Scalar.newBuilder().setValue(value)
        .build()));
    limits.forEach((name, value) -> config.putLimits(name, Value.Scalar.newBuilder().setValue(value).build()));
    return config.build();
  }

  private List<WeightInfo> weights(boolean json) throws Exception {
    return call(Call.Type.GET_WEIGHTS, json).getGetWeights().getWeightInfosList();
  }

  private HttpResponse updateWeights(boolean json, WeightInfo... infos) throws Exception {
    return post(Call.newBuilder().setType(Call.Type.UPDATE_WEIGHTS)
        .setUpdateWeights(Call.UpdateWeights.newBuilder().addAllWeightInfos(List.of(infos))).build(), json);
  }

  private HttpResponse updateQuota(boolean json, boolean force, QuotaConfig... configs) throws Exception {
    Call.UpdateQuota.Builder update = Call.UpdateQuota.newBuilder().addAllQuotaConfigs(List.of(configs));
    if (force) {
      update.setForce(true);
    }
    return post(Call.newBuilder().setType(Call.Type.UPDATE_QUOTA).setUpdateQuota(update).build(), json);
  }

  private Response call(Call.Type type, boolean json) throws Exception {
    HttpResponse r = post(Call.newBuilder().setType(type).build(), json);
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    return json ? MesosJson.parse(r.body(), Response.newBuilder()).build() : Response.parseFrom(r.body());
  }

  private HttpResponse post(Call call, boolean json) throws Exception {
    String type = json ? MediaTypes.JSON : MediaTypes.PROTOBUF;
    return http.request(cluster.address, "POST", "/api/v1", Map.of("Content-Type", type, "Accept", type),
        json ? MesosJson.printBytes(call) : call.toByteArray()).get(10, TimeUnit.SECONDS);
  }
}
