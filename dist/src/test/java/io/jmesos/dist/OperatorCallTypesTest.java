package io.jmesos.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every call type of Mesos 1.11's {@code master.proto} and {@code agent.proto}, sent in protobuf with its
 * sub-message (required fields filled with placeholder values) to a running master and agent: the master answers
 * each one (none is {@code 501}); the agent answers {@code 501} exactly for the calls of features jmesos does
 * not have, the list {@code docs/compatibility.md} gives. SUBSCRIBE (a stream) is left to the event stream tests.
 */
@Timeout(120)
class OperatorCallTypesTest {
  /** The agent calls {@code docs/compatibility.md} lists as answered 501 (no standalone containers, no resource
   * providers, no images). */
  private static final Set<org.apache.mesos.v1.agent.Protos.Call.Type> AGENT_NOT_IMPLEMENTED = EnumSet.of(
      org.apache.mesos.v1.agent.Protos.Call.Type.UNKNOWN,
      org.apache.mesos.v1.agent.Protos.Call.Type.LAUNCH_NESTED_CONTAINER_SESSION,
      org.apache.mesos.v1.agent.Protos.Call.Type.ATTACH_CONTAINER_INPUT,
      org.apache.mesos.v1.agent.Protos.Call.Type.ATTACH_CONTAINER_OUTPUT,
      org.apache.mesos.v1.agent.Protos.Call.Type.LAUNCH_CONTAINER,
      org.apache.mesos.v1.agent.Protos.Call.Type.WAIT_CONTAINER,
      org.apache.mesos.v1.agent.Protos.Call.Type.REMOVE_CONTAINER,
      org.apache.mesos.v1.agent.Protos.Call.Type.ADD_RESOURCE_PROVIDER_CONFIG,
      org.apache.mesos.v1.agent.Protos.Call.Type.UPDATE_RESOURCE_PROVIDER_CONFIG,
      org.apache.mesos.v1.agent.Protos.Call.Type.REMOVE_RESOURCE_PROVIDER_CONFIG,
      org.apache.mesos.v1.agent.Protos.Call.Type.MARK_RESOURCE_PROVIDER_GONE,
      org.apache.mesos.v1.agent.Protos.Call.Type.PRUNE_IMAGES);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void theMasterAnswersEveryCallTypeAndTheAgentAllButThoseListedAsNotBuilt(@TempDir Path dir) throws Exception {
    try (LocalCluster cluster = LocalCluster.builder(dir.resolve("work")).ip("127.0.0.1").port(0).agents(1)
        .resources("cpus:1;mem:128").start()) {
      for (org.apache.mesos.v1.master.Protos.Call.Type type
          : org.apache.mesos.v1.master.Protos.Call.Type.values()) {
        if (type == org.apache.mesos.v1.master.Protos.Call.Type.SUBSCRIBE) {
          continue;
        }
        Message call = call(org.apache.mesos.v1.master.Protos.Call.newBuilder().setType(type), type.name());
        HttpResponse<String> answer = post(cluster.masterAddress(), call);
        if (type == org.apache.mesos.v1.master.Protos.Call.Type.UNKNOWN) {
          assertThat(answer.statusCode()).isEqualTo(501);
        } else {
          assertThat(answer.statusCode()).as("master %s: %s", type, answer.body()).isNotEqualTo(501);
        }
      }
      InetSocketAddress agent = cluster.agents().get(0).address();
      for (org.apache.mesos.v1.agent.Protos.Call.Type type : org.apache.mesos.v1.agent.Protos.Call.Type.values()) {
        Message call = call(org.apache.mesos.v1.agent.Protos.Call.newBuilder().setType(type), type.name());
        HttpResponse<String> answer = post(agent, call);
        if (AGENT_NOT_IMPLEMENTED.contains(type)) {
          assertThat(answer.statusCode()).as("agent %s: %s", type, answer.body()).isIn(501, 415);
          if (answer.statusCode() == 415) {
            // ATTACH_CONTAINER_INPUT needs a streaming request first, as in Mesos; streamed, it is 501.
            assertThat(type).isEqualTo(org.apache.mesos.v1.agent.Protos.Call.Type.ATTACH_CONTAINER_INPUT);
          }
        } else {
          assertThat(answer.statusCode()).as("agent %s: %s", type, answer.body()).isNotEqualTo(501);
        }
      }
    }
  }

  /** {@code call} with the sub-message named after {@code type}, if the call has one, its required fields set. */
  private static Message call(Message.Builder call, String type) {
    FieldDescriptor field = call.getDescriptorForType().findFieldByName(type.toLowerCase(java.util.Locale.ROOT));
    if (field != null && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      call.setField(field, filled(call.newBuilderForField(field)));
    }
    return call.build();
  }

  /** A message with every required field (recursively) set to a placeholder. */
  private static Message filled(Message.Builder message) {
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (!field.isRequired()) {
        continue;
      }
      message.setField(field, placeholder(message, field));
    }
    return message.build();
  }

  private static Object placeholder(Message.Builder message, FieldDescriptor field) {
    switch (field.getJavaType()) {
      case MESSAGE:
        return filled(message.newBuilderForField(field));
      case STRING:
        return "placeholder";
      case BYTE_STRING:
        return ByteString.copyFromUtf8("placeholder");
      case BOOLEAN:
        return false;
      case INT:
        return 1;
      case LONG:
        return 1L;
      case FLOAT:
        return 1f;
      case DOUBLE:
        return 1d;
      case ENUM:
        EnumValueDescriptor first = field.getEnumType().getValues().get(0);
        return field.getEnumType().getValues().stream().filter(v -> v.getNumber() != 0).findFirst().orElse(first);
      default:
        throw new IllegalArgumentException("No placeholder for " + field.getFullName());
    }
  }

  private HttpResponse<String> post(InetSocketAddress at, Message call) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + "/api/v1"))
        .header("Content-Type", "application/x-protobuf").header("Accept", "application/json")
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray())).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
