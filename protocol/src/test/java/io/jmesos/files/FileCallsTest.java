package io.jmesos.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.mesos.v1.Protos.FileInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LIST_FILES and READ_FILE over a real attached directory, with Mesos' FileInfo fields and errors. */
class FileCallsTest {
  @TempDir
  Path dir;

  @Test
  void listsEntriesWithStatFieldsAndReadsPages() throws Exception {
    Files.writeString(dir.resolve("stdout"), "hello sandbox\n");
    Files.createDirectory(dir.resolve("sub"));
    AttachedFiles files = new AttachedFiles();
    files.attach(dir, "/sandbox");

    List<FileInfo> listing = FileCalls.list(files, "/sandbox");
    assertThat(listing).extracting(FileInfo::getPath).containsExactly("/sandbox/stdout", "/sandbox/sub");
    FileInfo stdout = listing.get(0);
    assertThat(stdout.getSize()).isEqualTo(14);
    assertThat(stdout.getMode() & 0170000).as("a regular file").isEqualTo(0100000);
    assertThat(listing.get(1).getMode() & 0170000).as("a directory").isEqualTo(0040000);
    assertThat(stdout.getNlink()).isEqualTo(1);
    assertThat(stdout.getMtime().getNanoseconds() % 1_000_000_000L).isZero();
    assertThat(stdout.getUid()).isNotEmpty();

    FileCalls.Read read = FileCalls.read(files, "/sandbox/stdout", 6, 7L);
    assertThat(read.size).isEqualTo(14);
    assertThat(new String(read.data, StandardCharsets.UTF_8)).isEqualTo("sandbox");
    assertThat(new String(FileCalls.read(files, "/sandbox/stdout", 0, null).data, StandardCharsets.UTF_8))
        .isEqualTo("hello sandbox\n");
    assertThat(FileCalls.read(files, "/sandbox/stdout", 99, null).data).isEmpty();
    assertThat(FileCalls.read(files, "/sandbox/stdout", 0, 0L).data).isEmpty();
  }

  @Test
  void errorsAreMesos() throws Exception {
    Files.createDirectory(dir.resolve("sub"));
    AttachedFiles files = new AttachedFiles();
    files.attach(dir, "/sandbox");
    assertThatThrownBy(() -> FileCalls.read(files, "/nowhere", 0, null))
        .isInstanceOfSatisfying(FileCalls.FileError.class, e -> assertThat(e.response().status()).isEqualTo(404));
    assertThatThrownBy(() -> FileCalls.read(files, "/sandbox/sub", 0, null))
        .isInstanceOfSatisfying(FileCalls.FileError.class, e -> {
          assertThat(e.response().status()).isEqualTo(400);
          assertThat(e.response().bodyText()).isEqualTo("Cannot read a directory.\n");
        });
  }
}
