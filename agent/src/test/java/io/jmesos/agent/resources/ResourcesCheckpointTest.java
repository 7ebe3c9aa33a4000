package io.jmesos.agent.resources;

import static io.jmesos.agent.resources.OperationApplierTest.disk;
import static io.jmesos.agent.resources.OperationApplierTest.reserved;
import static io.jmesos.agent.resources.OperationApplierTest.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.jmesos.agent.checkpoint.CheckpointException;
import io.jmesos.resources.Resources;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Operation;
import org.apache.mesos.Protos.OperationState;
import org.apache.mesos.Protos.OperationStatus;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code resources.info} and {@code resources_and_operations.state} in Mesos' bytes. */
@Timeout(10)
class ResourcesCheckpointTest {
  @TempDir
  Path workDir;

  /**
   * {@code disk(ops, ops-principal):64} as Mesos' agent checkpoints it: the pre-refinement format (role 6,
   * reservation 8 with the principal), fields in number order, framed by a 4-byte little-endian size.
   */
  private static byte[] mesosResourcesInfo() {
    byte[] principal = "ops-principal".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer body = ByteBuffer.allocate(64);
    body.put(HexFormat.of().parseHex("0a046469736b")); // name (1) "disk"
    body.put(HexFormat.of().parseHex("1000")); // type (2) SCALAR
    body.put(HexFormat.of().parseHex("1a09090000000000005040")); // scalar (3) { value (1) 64.0 }
    body.put(HexFormat.of().parseHex("32036f7073")); // role (6) "ops"
    body.put((byte) 0x42).put((byte) (principal.length + 2)).put((byte) 0x0a).put((byte) principal.length)
        .put(principal); // reservation (8) { principal (1) }
    int size = body.position();
    ByteBuffer file = ByteBuffer.allocate(4 + size).order(ByteOrder.LITTLE_ENDIAN).putInt(size);
    file.put(body.array(), 0, size);
    return file.array();
  }

  @Test
  void writesResourcesInfoAsMesosDoes() throws Exception {
    ResourcesCheckpoint checkpoint = new ResourcesCheckpoint(workDir.resolve("meta"));
    checkpoint.writeTarget(Resources.of(reserved(disk(64), "ops")), List.of());
    checkpoint.commit();
    assertThat(Files.readAllBytes(workDir.resolve("meta/resources/resources.info"))).isEqualTo(mesosResourcesInfo());
    assertThat(checkpoint.target()).doesNotExist();
    assertThat(checkpoint.stateTarget()).doesNotExist();
  }

  @Test
  void readsResourcesInfoWrittenByMesos() throws Exception {
    ResourcesCheckpoint checkpoint = new ResourcesCheckpoint(workDir.resolve("meta"));
    Files.createDirectories(checkpoint.info().getParent());
    Files.write(checkpoint.info(), mesosResourcesInfo());
    ResourcesCheckpoint.Recovered recovered = checkpoint.recover();
    assertThat(recovered.resources()).containsExactly(reserved(disk(64), "ops"));
    assertThat(recovered.target()).isEmpty();
    assertThat(recovered.operations()).isEmpty();
  }

  @Test
  void stateKeepsVolumesAndOperationsAndWinsOverResourcesInfo() throws Exception {
    ResourcesCheckpoint checkpoint = new ResourcesCheckpoint(workDir.resolve("meta"));
    Resource vol = volume(reserved(disk(64), "ops"), "id1", "data");
    OperationStatus status = OperationStatus.newBuilder().setState(OperationState.OPERATION_FINISHED)
        .setUuid(UUID.newBuilder().setValue(ByteString.copyFromUtf8("0123456789abcdef"))).build();
    Operation op = Operation.newBuilder().setUuid(UUID.newBuilder().setValue(ByteString.copyFromUtf8("op-uuid")))
        .setInfo(Offer.Operation.newBuilder().setType(Offer.Operation.Type.CREATE)
            .setCreate(Offer.Operation.Create.newBuilder().addVolumes(vol)))
        .setLatestStatus(status).addStatuses(status).build();
    checkpoint.writeTarget(Resources.of(vol), List.of(op));
    checkpoint.commit();
    // The state file is a framed ResourceState: operations (1) then resources (2), not downgraded.
    byte[] state = Files.readAllBytes(checkpoint.state());
    byte[] body = java.util.Arrays.copyOfRange(state, 4, state.length);
    assertThat(ByteBuffer.wrap(state, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(body.length);
    byte[] opBytes = op.toByteArray();
    byte[] volBytes = vol.toByteArray();
    ByteBuffer expected = ByteBuffer.allocate(body.length);
    expected.put((byte) 0x0a).put(varint(opBytes.length)).put(opBytes);
    expected.put((byte) 0x12).put(varint(volBytes.length)).put(volBytes);
    assertThat(body).isEqualTo(expected.array());

    // A stale resources.info is not read when the state file is there.
    Files.write(checkpoint.info(), mesosResourcesInfo());
    ResourcesCheckpoint.Recovered recovered = checkpoint.recover();
    assertThat(recovered.resources()).containsExactly(vol);
    assertThat(recovered.operations()).containsExactly(op);
  }

  @Test
  void anUncommittedTargetIsRecoveredAsTarget() throws Exception {
    ResourcesCheckpoint checkpoint = new ResourcesCheckpoint(workDir.resolve("meta"));
    checkpoint.writeTarget(Resources.of(reserved(disk(64), "ops")), List.of());
    ResourcesCheckpoint.Recovered recovered = checkpoint.recover();
    assertThat(recovered.resources()).isEmpty();
    assertThat(recovered.target()).hasValue(List.of(reserved(disk(64), "ops")));
  }

  @Test
  void aTruncatedFileIsAnErrorNamingIt() throws Exception {
    ResourcesCheckpoint checkpoint = new ResourcesCheckpoint(workDir.resolve("meta"));
    Files.createDirectories(checkpoint.info().getParent());
    byte[] whole = mesosResourcesInfo();
    Files.write(checkpoint.info(), java.util.Arrays.copyOf(whole, whole.length - 3));
    assertThatThrownBy(checkpoint::recover).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("resources.info").hasMessageContaining("truncated");
  }

  private static byte[] varint(int value) {
    ByteBuffer out = ByteBuffer.allocate(5);
    int v = value;
    while ((v & ~0x7f) != 0) {
      out.put((byte) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
    return java.util.Arrays.copyOf(out.array(), out.position());
  }
}
