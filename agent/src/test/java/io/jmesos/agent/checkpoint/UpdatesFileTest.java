package io.jmesos.agent.checkpoint;

import static io.jmesos.agent.checkpoint.Fixtures.TID;
import static io.jmesos.agent.checkpoint.Fixtures.ackRecord;
import static io.jmesos.agent.checkpoint.Fixtures.update;
import static io.jmesos.agent.checkpoint.Fixtures.updateRecord;
import static io.jmesos.agent.checkpoint.Fixtures.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.internal.Messages.StatusUpdateRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task.updates stream: appended records, a partial tail cut off, a corrupt record an error. */
class UpdatesFileTest {
  @TempDir
  Path tmp;

  private final StatusUpdateRecord running = updateRecord(update(TID, TaskState.TASK_RUNNING, uuid("u1")));
  private final StatusUpdateRecord ack = ackRecord(uuid("u1"));
  private final StatusUpdateRecord finished = updateRecord(update(TID, TaskState.TASK_FINISHED, uuid("u2")));

  private Path file() {
    return tmp.resolve("tasks/T-1/task.updates");
  }

  private void appendAll(StatusUpdateRecord... records) throws Exception {
    try (UpdatesFile f = UpdatesFile.open(file())) {
      for (StatusUpdateRecord r : records) {
        f.append(r);
      }
    }
  }

  @Test
  void appendedRecordsReadBackInOrderAcrossReopens() throws Exception {
    appendAll(running);
    appendAll(ack, finished);

    assertThat(UpdatesFile.read(file())).containsExactly(running, ack, finished);
  }

  @Test
  void eachRecordIsFramedAsStoutWritesIt() throws Exception {
    appendAll(running, ack);
    byte[] expected = ByteBuffer.allocate(8 + running.getSerializedSize() + ack.getSerializedSize())
        .order(ByteOrder.nativeOrder())
        .putInt(running.getSerializedSize()).put(running.toByteArray())
        .putInt(ack.getSerializedSize()).put(ack.toByteArray())
        .array();
    assertThat(Files.readAllBytes(file())).isEqualTo(expected);
  }

  @Test
  void aMissingFileHasNoRecords() throws Exception {
    assertThat(UpdatesFile.read(file())).isEmpty();
    assertThat(file()).doesNotExist();
  }

  @Test
  void aPartialRecordAtTheEndIsCutOffAndTheNextAppendFollowsTheLastCompleteOne() throws Exception {
    appendAll(running, ack);
    long complete = Files.size(file());
    byte[] whole = Checkpoints.frame(finished);
    // A crash in the middle of the third append: its size and part of its bytes.
    Files.write(file(), Arrays.copyOf(whole, whole.length - 3), StandardOpenOption.APPEND);

    assertThat(UpdatesFile.read(file())).containsExactly(running, ack);
    assertThat(Files.size(file())).isEqualTo(complete);

    appendAll(finished);
    assertThat(UpdatesFile.read(file())).containsExactly(running, ack, finished);
  }

  @Test
  void aPartialSizeAtTheEndIsCutOffToo() throws Exception {
    appendAll(running);
    long complete = Files.size(file());
    Files.write(file(), new byte[] {7, 0}, StandardOpenOption.APPEND);

    assertThat(UpdatesFile.read(file())).containsExactly(running);
    assertThat(Files.size(file())).isEqualTo(complete);
  }

  @Test
  void aCorruptCompleteRecordIsAnErrorNamingTheFile() throws Exception {
    appendAll(running);
    long good = Files.size(file());
    // A complete frame of 3 bytes that are no StatusUpdateRecord, then a good record after it.
    byte[] garbage = ByteBuffer.allocate(7).order(ByteOrder.nativeOrder()).putInt(3)
        .put(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}).array();
    Files.write(file(), garbage, StandardOpenOption.APPEND);
    Files.write(file(), Checkpoints.frame(ack), StandardOpenOption.APPEND);

    assertThatThrownBy(() -> UpdatesFile.read(file()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file().toString())
        .hasMessageContaining("record 2")
        .satisfies(e -> assertThat(((CheckpointException) e).file()).isEqualTo(file()));
    // As Mesos: the file is cut back to the records before the corrupt one.
    assertThat(Files.size(file())).isEqualTo(good);
    assertThat(UpdatesFile.read(file())).containsExactly(running);
  }

  @Test
  void aRecordWithoutItsPayloadIsCorrupt() throws Exception {
    Files.createDirectories(file().getParent());
    StatusUpdateRecord bare = StatusUpdateRecord.newBuilder().setType(StatusUpdateRecord.Type.ACK).build();
    Files.write(file(), Checkpoints.frame(bare));

    assertThatThrownBy(() -> UpdatesFile.read(file()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("ACK without its uuid");
    try (UpdatesFile f = UpdatesFile.open(file())) {
      assertThatThrownBy(() -> f.append(bare)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void appendAfterCloseFails() throws Exception {
    UpdatesFile f = UpdatesFile.open(file());
    f.close();
    f.close();
    assertThatThrownBy(() -> f.append(running)).isInstanceOf(IllegalStateException.class);
    assertThat(file()).exists().isEmptyFile();
  }
}
