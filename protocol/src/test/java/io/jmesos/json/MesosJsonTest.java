package io.jmesos.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferFilters;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MesosJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Call subscribe() {
    return Call.newBuilder()
        .setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder()
            .setFrameworkInfo(FrameworkInfo.newBuilder()
                .setUser("root")
                .setName("test-framework")
                .addRoles("ops")
                .setFailoverTimeout(3600)
                .setCheckpoint(true)
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                    .setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
                .putOfferFilters("ops", OfferFilters.newBuilder()
                    .setMinAllocatableResources(OfferFilters.MinAllocatableResources.newBuilder()
                        .addQuantities(OfferFilters.ResourceQuantities.newBuilder()
                            .putQuantities("cpus", Value.Scalar.newBuilder().setValue(0.5).build())))
                    .build())))
        .build();
  }

  private static Call accept() {
    TaskInfo task = TaskInfo.newBuilder()
        .setName("sleep")
        .setTaskId(TaskID.newBuilder().setValue("task-1"))
        .setAgentId(AgentID.newBuilder().setValue("agent-1"))
        .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
            .setScalar(Value.Scalar.newBuilder().setValue(1.5)))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder()
                .addRange(Value.Range.newBuilder().setBegin(31000).setEnd(31001))))
        .setCommand(CommandInfo.newBuilder().setValue("sleep 10").setShell(true))
        .setKillPolicy(KillPolicy.newBuilder()
            .setGracePeriod(DurationInfo.newBuilder().setNanoseconds(9007199254740993L)))
        .setData(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xff}))
        .build();
    return Call.newBuilder()
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
        .setType(Call.Type.ACCEPT)
        .setAccept(Call.Accept.newBuilder()
            .addOfferIds(OfferID.newBuilder().setValue("offer-1"))
            .addOperations(Offer.Operation.newBuilder()
                .setType(Offer.Operation.Type.LAUNCH)
                .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)))
            .setFilters(Filters.newBuilder().setRefuseSeconds(2.5)))
        .build();
  }

  @Test
  void subscribeRoundTrips() throws Exception {
    Call call = subscribe();
    String json = MesosJson.print(call);

    assertThat(MesosJson.parse(json, Call.newBuilder()).build()).isEqualTo(call);
    JsonNode tree = MAPPER.readTree(json);
    assertThat(tree.get("type").asText()).isEqualTo("SUBSCRIBE");
    JsonNode info = tree.path("subscribe").path("framework_info");
    assertThat(info.get("user").asText()).isEqualTo("root");
    assertThat(info.get("capabilities").get(0).get("type").asText()).isEqualTo("MULTI_ROLE");
    assertThat(info.get("offer_filters").get("ops").path("min_allocatable_resources")
        .path("quantities").get(0).path("quantities").path("cpus").path("value").asDouble())
        .isEqualTo(0.5);
  }

  @Test
  void acceptRoundTrips() throws Exception {
    Call call = accept();
    String json = MesosJson.print(call);

    assertThat(MesosJson.parse(json, Call.newBuilder()).build()).isEqualTo(call);
    assertThat(MesosJson.parse(json.getBytes(StandardCharsets.UTF_8), Call.newBuilder()).build())
        .isEqualTo(call);
    JsonNode task = MAPPER.readTree(json).path("accept").path("operations").get(0)
        .path("launch").path("task_infos").get(0);
    assertThat(task.path("resources").get(1).path("ranges").path("range").get(0).path("begin")
        .asLong()).isEqualTo(31000);
  }

  @Test
  void int64IsPrintedAsAJsonNumberWithoutLosingPrecision() {
    String json = MesosJson.print(accept());

    assertThat(json).contains("\"grace_period\":{\"nanoseconds\":9007199254740993}");
    ObjectNode tree = MesosJson.toTree(DurationInfo.newBuilder().setNanoseconds(-5).build());
    assertThat(tree.get("nanoseconds").isIntegralNumber()).isTrue();
  }

  @Test
  void uint64AboveLongMaxIsPrintedUnsigned() {
    Value.Range range = Value.Range.newBuilder().setBegin(0).setEnd(-1L).build();

    String json = MesosJson.print(range);

    assertThat(json).isEqualTo("{\"begin\":0,\"end\":18446744073709551615}");
    assertThat(MesosJson.parse(json, Value.Range.newBuilder()).build()).isEqualTo(range);
  }

  @Test
  void bytesArePrintedAsBase64() {
    String json = MesosJson.print(accept());

    assertThat(json).contains("\"data\":\"AAEC/w==\"");
  }

  @Test
  void explicitNonDeprecatedDefaultsArePrintedLikeMesos() throws Exception {
    FrameworkInfo info = FrameworkInfo.newBuilder().setUser("u").setName("n").build();

    JsonNode tree = MAPPER.readTree(MesosJson.print(info));

    assertThat(tree.get("failover_timeout").asDouble()).isEqualTo(0.0);
    assertThat(tree.get("checkpoint").asBoolean()).isFalse();
    assertThat(tree.has("role")).as("deprecated default").isFalse();
    assertThat(tree.has("hostname")).as("unset optional without default").isFalse();
    assertThat(tree.has("roles")).as("empty repeated").isFalse();
  }

  @Test
  void acceptsWhatMesosClientsSend() {
    String json = "{\"type\":\"ACCEPT\",\"framework_id\":{\"value\":\"fw\"},\"unknown\":[1,2],"
        + "\"accept\":{\"offer_ids\":{\"value\":\"o1\"},\"filters\":{\"refuse_seconds\":\"7.5\"},"
        + "\"operations\":[{\"type\":\"LAUNCH\",\"launch\":{\"task_infos\":[{\"name\":\"t\","
        + "\"task_id\":{\"value\":\"t1\"},\"agent_id\":{\"value\":\"a1\"},"
        + "\"kill_policy\":{\"grace_period\":{\"nanoseconds\":\"5000000000\"}},"
        + "\"health_check\":null}]}}]}}";

    Call call = MesosJson.parse(json, Call.newBuilder()).build();

    assertThat(call.getType()).isEqualTo(Call.Type.ACCEPT);
    assertThat(call.getAccept().getOfferIdsList()).extracting(OfferID::getValue)
        .containsExactly("o1");
    assertThat(call.getAccept().getFilters().getRefuseSeconds()).isEqualTo(7.5);
    TaskInfo task = call.getAccept().getOperations(0).getLaunch().getTaskInfos(0);
    assertThat(task.getKillPolicy().getGracePeriod().getNanoseconds()).isEqualTo(5_000_000_000L);
    assertThat(task.hasHealthCheck()).isFalse();
  }

  @Test
  void camelCaseNamesAreAcceptedAsAFallback() {
    Call call = MesosJson.parse("{\"type\":\"SUBSCRIBE\",\"frameworkId\":{\"value\":\"fw\"}}",
        Call.newBuilder()).build();

    assertThat(call.getFrameworkId().getValue()).isEqualTo("fw");
  }

  @Test
  void unknownEnumNameIsDroppedForAnOptionalField() {
    Call call = MesosJson.parse("{\"type\":\"NO_SUCH_CALL\"}", Call.newBuilder()).build();

    assertThat(call.hasType()).isFalse();
  }

  @Test
  void unknownEnumNameIsAnErrorForARequiredField() {
    assertThatThrownBy(() -> MesosJson.parse("{\"name\":\"cpus\",\"type\":\"NUMBER\"}",
        Resource.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class)
        .hasMessageContaining("'type'")
        .hasMessageContaining("NUMBER");
  }

  @Test
  void malformedJsonIsReported() {
    assertThatThrownBy(() -> MesosJson.parse("{\"type\": \"SUBSCRIBE\",", Call.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class)
        .hasMessageStartingWith("Malformed JSON");
    assertThatThrownBy(() -> MesosJson.parse("{} {}", Call.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class)
        .hasMessageStartingWith("Malformed JSON");
    assertThatThrownBy(() -> MesosJson.parse("[]", Call.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class)
        .hasMessageContaining("Expecting a JSON object");
    assertThatThrownBy(() -> MesosJson.parse("", Call.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class);
  }

  @Test
  void wrongTypeNamesTheFieldPath() {
    String json = "{\"accept\":{\"operations\":[{\"launch\":{\"task_infos\":"
        + "[{\"name\":7,\"task_id\":{\"value\":\"t\"},\"agent_id\":{\"value\":\"a\"}}]}}]}}";

    assertThatThrownBy(() -> MesosJson.parse(json, Call.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class)
        .hasMessage("Failed to parse field 'accept.operations[0].launch.task_infos[0].name': "
            + "Expecting a JSON string, got number 7");
  }

  @Test
  void otherBadValuesNameTheField() {
    assertThatThrownBy(() -> MesosJson.parse("{\"nanoseconds\":\"soon\"}",
        DurationInfo.newBuilder()))
        .hasMessageContaining("'nanoseconds'").hasMessageContaining("Expecting a number");
    assertThatThrownBy(() -> MesosJson.parse("{\"nanoseconds\":1.5}", DurationInfo.newBuilder()))
        .hasMessageContaining("'nanoseconds'").hasMessageContaining("integer");
    assertThatThrownBy(() -> MesosJson.parse("{\"begin\":-1,\"end\":1}", Value.Range.newBuilder()))
        .hasMessageContaining("'begin'").hasMessageContaining("out of range");
    assertThatThrownBy(() -> MesosJson.parse("{\"framework_id\":[]}", Call.newBuilder()))
        .hasMessageContaining("'framework_id'").hasMessageContaining("array");
    assertThatThrownBy(() -> MesosJson.parse("{\"name\":\"t\",\"task_id\":{\"value\":\"t\"},"
        + "\"agent_id\":{\"value\":\"a\"},\"data\":\"%%%\"}", TaskInfo.newBuilder()))
        .hasMessageContaining("'data'").hasMessageContaining("base64");
  }

  @Test
  void missingRequiredFieldsAreReported() {
    String json = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\"}}}";

    assertThatThrownBy(() -> MesosJson.parse(json, Call.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class)
        .hasMessage("Missing required fields: subscribe.framework_info.name");
  }

  @Test
  void treeHelpersRoundTrip() {
    Call call = accept();

    ObjectNode tree = MesosJson.toTree(call);

    assertThat(MesosJson.fromTree(tree, Call.newBuilder()).build()).isEqualTo(call);
    assertThat(new String(MesosJson.printBytes(call), StandardCharsets.UTF_8))
        .isEqualTo(MesosJson.print(call));
    assertThat(MesosJson.print(call.toBuilder())).as("builders print too")
        .isEqualTo(MesosJson.print(call));
  }

  @Test
  @Timeout(5)
  void refusesNumbersThatWouldTakeLongToExpand() {
    // Found by MesosJsonFuzzTest: 3e999 is read as an infinite double, which had no BigDecimal.
    assertThatThrownBy(() -> MesosJson.parse("{\"begin\":1,\"end\":3e999}", Value.Range.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class).hasMessageContaining("out of range");
    // Expanding 1e9999999 took 15 s and made a 10 MB error message.
    assertThatThrownBy(() -> MesosJson.parse("{\"begin\":\"1e9999999\",\"end\":2}", Value.Range.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> MesosJson.parse("{\"begin\":\"1e-999999999\",\"end\":2}",
        Value.Range.newBuilder())).isInstanceOf(MesosJson.ParseException.class)
        .hasMessageContaining("Expecting an integer");
    assertThat(MesosJson.parse("{\"begin\":\"1.5e1\",\"end\":\"0e-999999999\"}", Value.Range.newBuilder())
        .buildPartial().getBegin()).isEqualTo(15);
  }

  @Test
  void refusesDocumentsNestedTooDeeply() {
    int depth = JsonLimits.MAX_NESTING_DEPTH + 1;
    String deep = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    assertThatThrownBy(() -> MesosJson.parse(deep, Value.Range.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class).hasMessageContaining("nesting depth");
    String shallow = "{\"a\":".repeat(50) + "1" + "}".repeat(50);
    assertThatThrownBy(() -> MesosJson.parse(shallow, Value.Range.newBuilder()))
        .isInstanceOf(MesosJson.ParseException.class).hasMessageContaining("Missing required fields");
  }
}
