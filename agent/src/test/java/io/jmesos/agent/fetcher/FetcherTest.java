package io.jmesos.agent.fetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.mesos.Protos.CommandInfo.URI;
import org.apache.mesos.Protos.ContainerID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FetcherTest {
  private static final ContainerID CONTAINER = ContainerID.newBuilder().setValue("c1").build();
  @TempDir
  Path tmp;
  Path sandbox;
  TestFileServer server;
  final Fetcher fetcher = new Fetcher();

  @BeforeEach
  void setUp() throws Exception {
    sandbox = Files.createDirectories(tmp.resolve("sandbox"));
    server = new TestFileServer();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private void fetch(URI... uris) throws FetchException {
    fetcher.fetch(CONTAINER, List.of(uris), sandbox, sandbox.resolve("stderr"));
  }

  private static URI uri(String value) {
    return URI.newBuilder().setValue(value).build();
  }

  private String log() throws Exception {
    return Files.readString(sandbox.resolve("stderr"));
  }

  @Test
  void tarGzOverHttpIsDownloadedAndExtractedIntoTheSandbox() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("run.sh"), "echo fetched\n");
    server.serve("/dl/app.tar.gz", Archives.tarGz(app));

    fetch(uri(server.url("/dl/app.tar.gz")));

    assertThat(sandbox.resolve("app.tar.gz")).exists();
    assertThat(Files.readString(sandbox.resolve("app/run.sh"))).isEqualTo("echo fetched\n");
    assertThat(log()).contains("Fetching URI '" + server.url("/dl/app.tar.gz") + "'")
        .contains("Extracted '").contains("Successfully fetched all URIs");
  }

  @Test
  void extractFalseKeepsTheArchiveAsIs() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app"));
    Files.writeString(app.resolve("a.txt"), "a");
    server.serve("/app.tgz", Archives.tarGz(app));

    fetch(URI.newBuilder().setValue(server.url("/app.tgz")).setExtract(false).build());

    assertThat(sandbox.resolve("app.tgz")).exists();
    assertThat(sandbox.resolve("app")).doesNotExist();
  }

  @Test
  void zipIsExtractedIntoTheSandbox() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      zip.putNextEntry(new java.util.zip.ZipEntry("conf/app.properties"));
      zip.write("k=v\n".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    server.serve("/bundle.zip", bytes.toByteArray());

    fetch(uri(server.url("/bundle.zip")));

    assertThat(Files.readString(sandbox.resolve("conf/app.properties"))).isEqualTo("k=v\n");
  }

  @Test
  void bareGzIsDecompressedNextToIt() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("plain".getBytes(StandardCharsets.UTF_8));
    }
    server.serve("/notes.txt.gz", bytes.toByteArray());

    fetch(uri(server.url("/notes.txt.gz")));

    assertThat(Files.readString(sandbox.resolve("notes.txt"))).isEqualTo("plain");
  }

  @Test
  void executableIsChmoddedAndNotExtracted() throws Exception {
    server.serve("/bin/tool.tar", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));

    fetch(URI.newBuilder().setValue(server.url("/bin/tool.tar")).setExecutable(true).build());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox.resolve("tool.tar"))))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void outputFileNamesTheDestinationAndMayCreateSubdirectories() throws Exception {
    server.serve("/x", "data".getBytes(StandardCharsets.UTF_8));

    fetch(URI.newBuilder().setValue(server.url("/x")).setOutputFile("conf/settings.txt").build());

    assertThat(Files.readString(sandbox.resolve("conf/settings.txt"))).isEqualTo("data");
  }

  @Test
  void outputFileOutsideTheSandboxIsRefused() {
    server.serve("/x", "data".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> fetch(URI.newBuilder().setValue(server.url("/x")).setOutputFile("../escape").build()))
        .hasMessageContaining("outside the sandbox");
    assertThat(tmp.resolve("escape")).doesNotExist();
  }

  /** Mesos' {@code containerizer/fetcher/task_fetches_*}: one per fetch, a fetch of no URIs included. */
  @Test
  void eachFetchIsCountedAsSucceededOrFailed() throws Exception {
    server.serve("/ok.txt", "ok".getBytes(StandardCharsets.UTF_8));
    fetch();
    fetch(uri(server.url("/ok.txt")));
    assertThatThrownBy(() -> fetch(uri(server.url("/ok.txt")), uri(server.url("/missing.txt"))))
        .isInstanceOf(FetchException.class);
    assertThat(fetcher.fetchesSucceeded()).isEqualTo(2);
    assertThat(fetcher.fetchesFailed()).isEqualTo(1);
  }

  @Test
  void redirectsAreFollowed() throws Exception {
    server.serve("/real.txt", "moved".getBytes(StandardCharsets.UTF_8)).redirect("/old.txt", "/real.txt");

    fetch(URI.newBuilder().setValue(server.url("/old.txt")).build());

    assertThat(Files.readString(sandbox.resolve("old.txt"))).isEqualTo("moved");
  }

  @Test
  void localPathsAndFileUrisAreCopied() throws Exception {
    Path source = Files.writeString(tmp.resolve("local.txt"), "local");

    fetch(uri(source.toString()), URI.newBuilder().setValue("file://" + source).setOutputFile("copy.txt").build());

    assertThat(Files.readString(sandbox.resolve("local.txt"))).isEqualTo("local");
    assertThat(Files.readString(sandbox.resolve("copy.txt"))).isEqualTo("local");
  }

  @Test
  void httpErrorFailsTheFetchNamingTheContainerAndTheUriAndLeavesNoFile() throws Exception {
    String missing = server.url("/missing.tar.gz");

    assertThatThrownBy(() -> fetch(uri(missing)))
        .isInstanceOf(FetchException.class)
        .hasMessage("Failed to fetch all URIs for container 'c1': Failed to fetch '" + missing
            + "': Error downloading resource, received HTTP return code 404");
    assertThat(sandbox.resolve("missing.tar.gz")).doesNotExist();
    assertThat(log()).contains("Failed to fetch '" + missing + "'");
  }

  @Test
  void firstFailureStopsTheFetch() throws Exception {
    server.serve("/b.txt", "b".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> fetch(uri(tmp.resolve("nope.txt").toString()), uri(server.url("/b.txt"))))
        .hasMessageContaining("No such file or directory");
    assertThat(sandbox.resolve("b.txt")).doesNotExist();
  }

  @Test
  void relativePathsAndUnknownSchemesAreRefused() {
    assertThatThrownBy(() -> fetch(uri("relative/file.txt")))
        .hasMessageContaining("the Mesos framework home was not specified");
    assertThatThrownBy(() -> fetch(uri("hdfs://namenode/file.txt")))
        .hasMessageContaining("Unsupported URI scheme 'hdfs'");
  }

  @Test
  void corruptArchiveFailsWithTheExtractorsStatus() {
    server.serve("/bad.tar.gz", "not a tarball".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> fetch(uri(server.url("/bad.tar.gz"))))
        .hasMessageContaining("Failed to extract '" + sandbox.resolve("bad.tar.gz") + "'")
        .hasMessageContaining("exited with status");
  }

  @Test
  void basenameIsTheLastPathSegmentAfterTheHost() throws Exception {
    assertThat(Fetcher.basename("http://host/a/b/c.tgz")).isEqualTo("c.tgz");
    assertThat(Fetcher.basename("/opt/x/y.zip")).isEqualTo("y.zip");
    assertThatThrownBy(() -> Fetcher.basename("http://host/")).hasMessageContaining("missing path");
    assertThatThrownBy(() -> Fetcher.basename("http://host/it's")).hasMessage("Illegal characters in URI");
  }
}
