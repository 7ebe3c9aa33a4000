package io.jmesos.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes and Mesos-compatible protobuf files. */
class CheckpointsTest {
  @TempDir
  Path tmp;

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aMessageFileIsItsSizeInFourLittleEndianBytesThenTheMessage() throws Exception {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "stout writes the size in host order");
    SlaveInfo info = Fixtures.slaveInfo(Fixtures.SID);
    byte[] body = info.toByteArray();
    Path file = tmp.resolve("slave.info");

    Checkpoints.writeMessage(file, info);

    byte[] size = {(byte) body.length, (byte) (body.length >>> 8), (byte) (body.length >>> 16),
        (byte) (body.length >>> 24)};
    assertThat(Files.readAllBytes(file)).isEqualTo(concat(size, body));
  }

  @Test
  void aFileAsMesosWritesItIsRead() throws Exception {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "stout writes the size in host order");
    // 300 bytes of message, so the size takes two bytes: 0x2c 0x01 0x00 0x00.
    FrameworkInfo info = Fixtures.frameworkInfo(Fixtures.FID).toBuilder().setName("n".repeat(280)).build();
    byte[] body = info.toByteArray();
    assertThat(body.length).isGreaterThan(255);
    byte[] size = {(byte) (body.length & 0xff), (byte) (body.length >> 8), 0, 0};
    Path file = tmp.resolve("framework.info");
    Files.write(file, concat(size, body));

    assertThat(Checkpoints.readMessage(file, FrameworkInfo.parser())).contains(info);
  }

  @Test
  void writeThenReadRoundTripsAndReplacesTheOldContent() throws Exception {
    Path file = tmp.resolve("a/b/c/framework.info");
    FrameworkInfo first = Fixtures.frameworkInfo(Fixtures.FID);
    FrameworkInfo second = first.toBuilder().setName("renamed").build();

    Checkpoints.writeMessage(file, first);
    assertThat(Checkpoints.readMessage(file, FrameworkInfo.parser())).contains(first);
    Checkpoints.writeMessage(file, second);
    assertThat(Checkpoints.readMessage(file, FrameworkInfo.parser())).contains(second);
  }

  @Test
  void atomicWritesLeaveNoTemporaryFilesBehind() throws Exception {
    Path dir = tmp.resolve("d");
    Checkpoints.writeMessage(dir.resolve("m"), Fixtures.frameworkInfo(Fixtures.FID));
    Checkpoints.writeMessage(dir.resolve("m"), Fixtures.frameworkInfo(Fixtures.FID));
    Checkpoints.writeText(dir.resolve("t"), "x");
    Checkpoints.touch(dir.resolve("marker"));
    Checkpoints.touch(dir.resolve("marker"));
    Checkpoints.symlink(dir.resolve("latest"), dir.resolve("m"));
    Checkpoints.symlink(dir.resolve("latest"), dir.resolve("t"));

    assertThat(names(dir)).containsExactly("latest", "m", "marker", "t");
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
    Path dir = tmp.resolve("d");
    Path file = dir.resolve("framework.info");
    FrameworkInfo info = Fixtures.frameworkInfo(Fixtures.FID);
    Checkpoints.writeMessage(file, info);

    // Missing required fields: refused before anything is written.
    FrameworkInfo partial = FrameworkInfo.newBuilder().setUser("u").buildPartial();
    assertThatThrownBy(() -> Checkpoints.writeMessage(file, partial))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    // The target is a non-empty directory: the rename fails.
    Files.createDirectories(dir.resolve("sub/x"));
    assertThatThrownBy(() -> Checkpoints.writeText(dir.resolve("sub"), "text"))
        .isInstanceOf(IOException.class);

    assertThat(Checkpoints.readMessage(file, FrameworkInfo.parser())).contains(info);
    assertThat(names(dir)).containsExactly("framework.info", "sub");
  }

  @Test
  void checkpointFilesAreReadableByTheirOwnerOnly() throws Exception {
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = tmp.resolve("task.info");
    Checkpoints.writeText(file, "secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void aMissingOrEmptyFileReadsAsAbsent() throws Exception {
    assertThat(Checkpoints.readMessage(tmp.resolve("nope"), SlaveInfo.parser())).isEmpty();
    assertThat(Checkpoints.readText(tmp.resolve("nope"))).isEmpty();
    Path empty = Files.createFile(tmp.resolve("empty"));
    assertThat(Checkpoints.readMessage(empty, SlaveInfo.parser())).isEmpty();
    assertThat(Checkpoints.readText(empty)).contains("");
  }

  @Test
  void aTruncatedFileIsAnErrorNamingIt() throws Exception {
    Path file = tmp.resolve("slave.info");
    Checkpoints.writeMessage(file, Fixtures.slaveInfo(Fixtures.SID));
    byte[] bytes = Files.readAllBytes(file);

    Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
    assertThatThrownBy(() -> Checkpoints.readMessage(file, SlaveInfo.parser()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("truncated")
        .satisfies(e -> assertThat(((CheckpointException) e).file()).isEqualTo(file));

    Files.write(file, Arrays.copyOf(bytes, 3));
    assertThatThrownBy(() -> Checkpoints.readMessage(file, SlaveInfo.parser()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("truncated");
  }

  @Test
  void aCorruptMessageIsAnErrorNamingTheFile() throws Exception {
    Path file = tmp.resolve("slave.info");
    // A size of 4, then bytes that are no SlaveInfo (field 1 as a varint where a string is expected).
    Files.write(file, new byte[] {4, 0, 0, 0, 0x08, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);

    assertThatThrownBy(() -> Checkpoints.readMessage(file, SlaveInfo.parser()))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("corrupt");
  }

  @Test
  void textAndMarkersRoundTrip() throws Exception {
    Path file = tmp.resolve("pids/forked.pid");
    Checkpoints.writeText(file, "4242");
    assertThat(Checkpoints.readText(file)).contains("4242");
    assertThat(Files.readString(file)).isEqualTo("4242");

    Path marker = tmp.resolve("run/http.marker");
    Checkpoints.touch(marker);
    assertThat(marker).isEmptyFile();
  }

  @Test
  void symlinkIsReplacedAtomically() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("runs/A"));
    Path b = Files.createDirectories(tmp.resolve("runs/B"));
    Path latest = tmp.resolve("runs/latest");

    Checkpoints.symlink(latest, a);
    assertThat(Files.readSymbolicLink(latest)).isEqualTo(a);
    Checkpoints.symlink(latest, b);
    assertThat(Files.readSymbolicLink(latest)).isEqualTo(b);
    assertThat(latest.toRealPath().getFileName().toString()).isEqualTo("B");
    assertThat(names(tmp.resolve("runs"))).containsExactly("A", "B", "latest");
    assertThat(a).isDirectory();
  }

  @Test
  void deleteTreeRemovesEverythingAndFollowsNoLink() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "k");
    Path tree = tmp.resolve("tree");
    Checkpoints.writeText(tree.resolve("a/b/file"), "x");
    Checkpoints.symlink(tree.resolve("a/link"), outside);

    Checkpoints.deleteTree(tree);
    Checkpoints.deleteTree(tree);

    assertThat(tree).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("k");
  }

  @Test
  void listSkipsHiddenNamesAndIsSortedAndEmptyForAMissingDirectory() throws Exception {
    Files.createDirectories(tmp.resolve("d/b"));
    Files.createDirectories(tmp.resolve("d/a"));
    Files.writeString(tmp.resolve("d/.slave.info.1234.tmp"), "");
    assertThat(Checkpoints.list(tmp.resolve("d"))).containsExactly("a", "b");
    assertThat(Checkpoints.list(tmp.resolve("missing"))).isEmpty();
    assertThat(Checkpoints.list(tmp.resolve("d/a"))).isEmpty();
  }
}
