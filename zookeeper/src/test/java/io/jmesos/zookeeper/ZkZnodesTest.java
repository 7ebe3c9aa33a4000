package io.jmesos.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Group member names as Mesos' group reads them, and member data by label. */
@Timeout(10)
class ZkZnodesTest {
  @Test
  void membersAreLabelledSequenceNodesLowestFirst() {
    List<Znodes.Member> members = Znodes.members(
        List.of("json.info_0000000012", "info_0000000003", "0000000007", "registry", "log_replicas", "x_"));
    assertThat(members.stream().map(m -> m.name).collect(Collectors.toList()))
        .containsExactly("info_0000000003", "0000000007", "json.info_0000000012");
    assertThat(members.get(0).label).contains("info");
    assertThat(members.get(1).label).isEmpty();
    assertThat(members.get(2).label).contains("json.info");
    assertThat(members.get(2).sequence).isEqualTo(12);
  }

  @Test
  void dataOfAnUnknownLabelOrBadJsonIsRefusedWithMesosWords() {
    byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> MasterInfos.decode(Optional.of("other"), data))
        .hasMessage("Failed to parse data of unknown label 'other'");
    assertThatThrownBy(() -> MasterInfos.decode(Optional.of("json.info"), data))
        .hasMessageStartingWith("Failed to parse JSON into a valid MasterInfo protocol buffer");
    assertThatThrownBy(() -> MasterInfos.decode(Optional.of("info"), new byte[] {(byte) 0xff}))
        .hasMessage("Failed to parse data into MasterInfo");
  }

  @Test
  void pathsJoinAndSplit() {
    assertThat(Znodes.child("/mesos", "json.info_0000000001")).isEqualTo("/mesos/json.info_0000000001");
    assertThat(Znodes.child("/", "a")).isEqualTo("/a");
    assertThat(Znodes.basename("/mesos/json.info_0000000001")).isEqualTo("json.info_0000000001");
  }
}
