package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive {@code mvn package} builds in {@code dist/target}: unpacked anywhere, its {@code bin/}
 * scripts run from another directory with only a JDK (the jars from its {@code lib/}, logging configured by its
 * {@code conf/logback.xml}), and it holds the example configuration and the systemd units.
 */
@Timeout(120)
class ReleaseArchiveIT {
  private record Run(int code, String out, String err) {}

  @Test
  void theUnpackedArchiveRunsFromAnotherDirectory(@TempDir Path dir) throws Exception {
    Path root = Paths.get(System.getProperty("jmesos.root", "..")).toAbsolutePath().normalize();
    Path archive;
    try (Stream<Path> files = Files.list(root.resolve("dist/target"))) {
      archive = files.filter(f -> f.getFileName().toString().matches("jmesos-.*\\.tar\\.gz")).findFirst()
          .orElseThrow(() -> new AssertionError("no jmesos-<version>.tar.gz in dist/target: run mvn package"));
    }
    Path unpacked = Files.createDirectories(dir.resolve("opt"));
    Run tar = run(dir, "tar", "xzf", archive.toString(), "-C", unpacked.toString());
    assertThat(tar.code()).as(tar.err()).isZero();
    String name = archive.getFileName().toString();
    Path release = unpacked.resolve(name.substring(0, name.length() - ".tar.gz".length()));
    for (String file : List.of("bin/mesos-master", "bin/mesos-agent", "bin/mesos", "bin/jmesos-java",
        "conf/master.env", "conf/agent.env", "conf/logback.xml", "systemd/mesos-master.service",
        "systemd/mesos-agent.service")) {
      assertThat(release.resolve(file)).as(file).isRegularFile();
    }
    assertThat(Files.isExecutable(release.resolve("bin/mesos-master"))).isTrue();
    try (Stream<Path> jars = Files.list(release.resolve("lib"))) {
      assertThat(jars.map(j -> j.getFileName().toString()).toList())
          .anyMatch(j -> j.startsWith("jmesos-master-")).anyMatch(j -> j.startsWith("jmesos-dist-"));
    }

    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Run master = run(elsewhere, release.resolve("bin/mesos-master").toString(), "--help");
    assertThat(master.code()).as(master.err()).isZero();
    assertThat(master.out()).contains("--log_dir=VALUE", "--work_dir=VALUE");
    assertThat(master.err()).as("nothing on stderr (logging configured by conf/logback.xml)").isEmpty();
    Run agent = run(elsewhere, release.resolve("bin/mesos-agent").toString(), "--help");
    assertThat(agent.code()).as(agent.err()).isZero();
    assertThat(agent.out()).contains("--master=VALUE");
    Run cli = run(elsewhere, release.resolve("bin/mesos").toString(), "--help");
    assertThat(cli.code()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("agent", "framework", "task", "config");
  }

  private static Run run(Path workingDir, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("release-it", ".out");
    Path err = Files.createTempFile("release-it", ".err");
    List<String> args = new ArrayList<>(List.of(command));
    Process process = new ProcessBuilder(args).directory(workingDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not exit within 60 seconds");
    }
    Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return run;
  }
}
