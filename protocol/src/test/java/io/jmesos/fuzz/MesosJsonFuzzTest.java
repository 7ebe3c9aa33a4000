package io.jmesos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.Message;
import io.jmesos.json.MesosJson;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;

/**
 * JSON to protobuf in Mesos' conventions, as the HTTP APIs read request bodies: any bytes give a message or a
 * {@link MesosJson.ParseException}; never another exception, no hang on numbers like {@code 1e999999999}, and a
 * message parsed prints to JSON that parses back to the same printed JSON.
 */
@Timeout(120)
class MesosJsonFuzzTest {
  private static final List<Supplier<Message.Builder>> TYPES = Arrays.asList(
      org.apache.mesos.v1.scheduler.Protos.Call::newBuilder,
      org.apache.mesos.v1.executor.Protos.Call::newBuilder,
      org.apache.mesos.v1.master.Protos.Call::newBuilder,
      org.apache.mesos.v1.agent.Protos.Call::newBuilder,
      org.apache.mesos.v1.Protos.TaskInfo::newBuilder,
      org.apache.mesos.Protos.Resource::newBuilder);

  /** Input: byte 0 picks the message type, the rest is the JSON text (UTF-8). */
  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"\"value\":", "\"begin\":", "\"end\":", "\"scalar\":", "\"ranges\":", "\"range\":",
      "\"refuse_seconds\":", "\"failover_timeout\":", "\"timestamp\":", "\"offset\":", "\"uuid\":",
      "e999", "e-999", "E+99999999", "\"1e99999999\"", "1e999", "-0", "NaN", "null", "[[[[", "{\"a\":{"})
  void parse(byte[] data) {
    if (data.length < 1) {
      return;
    }
    Supplier<Message.Builder> type = TYPES.get((data[0] & 0xff) % TYPES.size());
    Message message;
    try {
      message = MesosJson.parse(Arrays.copyOfRange(data, 1, data.length), type.get()).buildPartial();
    } catch (MesosJson.ParseException e) {
      return; // bad input, said so
    }
    String printed = MesosJson.print(message);
    Message again = MesosJson.parse(printed, type.get()).buildPartial();
    assertThat(MesosJson.print(again)).isEqualTo(printed);
  }
}
