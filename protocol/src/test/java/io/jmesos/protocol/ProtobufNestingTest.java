package io.jmesos.protocol;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Protobuf bytes from a peer are parsed with protobuf-java's recursion limit (100), which 3.25.5 also applies to
 * nested unknown groups (CVE-2024-7254): deep nesting is a parse error, not a stack overflow. The bytes themselves
 * are bounded before parsing (HTTP bodies, internal frames, RecordIO records; docs/security.md).
 */
@Timeout(10)
class ProtobufNestingTest {
  @Test
  void deeplyNestedUnknownGroupsAreAParseError() {
    byte[] groups = new byte[100_000];
    Arrays.fill(groups, (byte) 0x7b); // field 15, start group, again and again
    assertThatThrownBy(() -> org.apache.mesos.v1.scheduler.Protos.Call.parseFrom(groups))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("too many levels of nesting");
    assertThatThrownBy(() -> org.apache.mesos.Protos.TaskInfo.parseFrom(groups))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("too many levels of nesting");
  }
}
