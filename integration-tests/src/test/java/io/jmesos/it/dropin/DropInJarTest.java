package io.jmesos.it.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.dist.LocalCluster;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The drop-in jar replaces {@code org.apache.mesos:mesos:1.11.0}: framework and executor programs of our own
 * ({@code src/test/dropin}, importing only {@code org.apache.mesos} and protobuf) are compiled here with a class
 * path of only {@code jmesos-mesos.jar} and protobuf-java, then run as processes with that class path against a
 * real master (found through ZooKeeper) and two agents: the v0 driver with several custom executors and
 * {@code ZooKeeperState}, a scheduler that throws, and the v1 API on {@code V1Mesos} and {@code V0Mesos}; on
 * protobuf-java 3.5.0, the official jar's, and on the version jmesos builds with.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DropInJarTest {
  private static final Path DROPIN = Paths.get("target", "dropin").toAbsolutePath();
  private static final Path JAR = DROPIN.resolve("jmesos-mesos.jar");
  private static final Path CLASSES = DROPIN.resolve("classes");

  private static LocalCluster cluster;
  private static Path work;

  @BeforeAll
  static void compileAndStart() throws Exception {
    assertThat(JAR).as("copied by the build from module mesos-jar").exists();
    compilePrograms(classPath("oldest"));
    work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "dropin-");
    cluster = LocalCluster.builder(work).ip("127.0.0.1").zooKeeper(0).masters(1).agents(2)
        .resources("cpus:2;mem:1024").start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** javac with nothing but the drop-in jar and protobuf-java on the class path. */
  private static void compilePrograms(String classPath) throws IOException {
    List<String> sources;
    try (Stream<Path> files = Files.walk(Paths.get("src", "test", "dropin"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).collect(Collectors.toList());
    }
    assertThat(sources).hasSize(3);
    Files.createDirectories(CLASSES);
    List<String> args = new ArrayList<>(List.of("-classpath", classPath, "--release", "11", "-Xlint:all",
        "-Werror", "-d", CLASSES.toString()));
    args.addAll(sources);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
    int rc = javac.run(null, null, errors, args.toArray(new String[0]));
    assertThat(rc).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();
  }

  private static String classPath(String protobuf) {
    return JAR + File.pathSeparator + DROPIN.resolve("protobuf-java-" + protobuf + ".jar");
  }

  /** Runs {@code dropin.<main>} with only the drop-in jar, protobuf-java and the programs on its class path. */
  private static Run run(String protobuf, String main, String... args) throws Exception {
    String cp = classPath(protobuf) + File.pathSeparator + CLASSES;
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", cp, "dropin." + main));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(work, main, ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean exited = p.waitFor(150, TimeUnit.SECONDS);
    if (!exited) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log);
    assertThat(exited).as("%s exits within 150 s; output:%n%s", main, output).isTrue();
    return new Run(p.exitValue(), output);
  }

  private static String zooKeeperServers() {
    Matcher m = Pattern.compile("zk://([^/]+)/").matcher(cluster.masterUrl());
    assertThat(m.find()).as("a zk:// master URL: %s", cluster.masterUrl()).isTrue();
    return m.group(1);
  }

  @Test
  void jarHoldsOnlyMesosAndJmesosClasses() throws Exception {
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      List<String> foreign = zip.stream().map(e -> e.getName())
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
          .filter(n -> !n.startsWith("org/apache/mesos/") && !n.startsWith("io/jmesos/"))
          .collect(Collectors.toList());
      assertThat(foreign).as("classes outside org.apache.mesos and io.jmesos could clash with a framework's")
          .isEmpty();
      assertThat(zip.getEntry("org/apache/mesos/MesosSchedulerDriver.class")).isNotNull();
      assertThat(zip.getEntry("org/apache/mesos/v1/scheduler/V1Mesos.class")).isNotNull();
      assertThat(zip.getEntry("org/apache/mesos/state/ZooKeeperState.class")).isNotNull();
      assertThat(zip.getEntry("com/google/protobuf/Message.class")).as("protobuf is the framework's").isNull();
    }
  }

  @Test
  void v0FrameworkRunsTasksOnSeveralCustomExecutorsAndKeepsStateInZooKeeper() throws Exception {
    String executorClassPath = classPath("oldest") + File.pathSeparator + CLASSES;
    Run run = run("oldest", "V0Framework", cluster.masterUrl(), executorClassPath, "2", "6", "--zk",
        zooKeeperServers());

    assertThat(run.exit).as(run.output).isZero();
    assertThat(run.output).contains("all 6 tasks finished", "driver status DRIVER_STOPPED")
        .contains("message executor executor-0 ran task-0", "message executor executor-1 ran task-1")
        .containsPattern("state stored true read \\S+-\\d{4} stale store refused names \\[framework_id\\]");
    for (int i = 0; i < 6; i++) {
      assertThat(run.output).contains("task task-" + i + " TASK_FINISHED on executor-" + (i % 2));
    }
  }

  @Test
  void schedulerThatThrowsAbortsTheDriverAndTheProgramFails() throws Exception {
    Run run = run("oldest", "V0Framework", cluster.masterUrl(), "unused", "1", "1", "--throw");

    assertThat(run.output).contains("driver status DRIVER_ABORTED");
    assertThat(run.exit).as(run.output).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} on protobuf-java {1}")
  @CsvSource({"V1, oldest", "V0, oldest", "V1, current"})
  void v1ApiRunsTasks(String mode, String protobuf) throws Exception {
    Run run = run(protobuf, "V1Framework", cluster.masterUrl(), mode, "3");

    assertThat(run.exit).as(run.output).isZero();
    assertThat(run.output).contains("connected", "all 3 tasks finished", "exiting 0")
        .containsPattern("subscribed \\S+-\\d{4}")
        .contains("task v1-task-0 TASK_FINISHED", "task v1-task-2 TASK_FINISHED");
  }

  private static final class Run {
    final int exit;
    final String output;

    Run(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }
  }
}
