package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.logging.LogbackLogging;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code mesos-master --log_dir}: the master writes {@code <log_dir>/mesos-master.log}, starting with its start
 * line, serves it as {@code /files/read?path=/master/log}, and {@code /logging/toggle} raises the verbosity of
 * jmesos' loggers for the given duration, after which it reverts.
 */
@Timeout(60)
class MasterLoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Master master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
    LogbackLogging.current().ifPresent(LogbackLogging::close);
  }

  @Test
  void theLogDirFileIsWrittenServedAndTheToggleReverts(@TempDir Path dir) throws Exception {
    Path logDir = dir.resolve("logs");
    AtomicInteger code = new AtomicInteger(-1);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    master = MasterMain.run(new String[] {"--ip=127.0.0.1", "--port=0", "--registry=in_memory",
        "--log_dir=" + logDir, "--work_dir=" + dir.resolve("work")}, Map.of(), System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8), code::set);
    assertThat(master).as(err.toString(StandardCharsets.UTF_8)).isNotNull();
    Path log = logDir.resolve("mesos-master.log");
    await("the start line in " + log).atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(log) && Files.readString(log).contains("Master " + master.id() + " started"));

    JsonNode read = JSON.readTree(get("/files/read?path=/master/log&offset=0").body());
    assertThat(read.path("offset").asLong()).isZero();
    assertThat(read.path("data").asText()).contains("Master " + master.id() + " started");
    HttpResponse<String> browse = get("/files/browse?path=/master/log");
    assertThat(browse.statusCode()).isEqualTo(200);
    assertThat(get("/files/read?path=/master/nothing").statusCode()).isEqualTo(404);

    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(get("/logging/toggle").body()).isEqualTo("0\n");
    assertThat(get("/logging/toggle?level=2&duration=1secs").statusCode()).isEqualTo(200);
    assertThat(get("/logging/toggle").body()).isEqualTo("2\n");
    assertThat(logback.getLogger("io.jmesos.master").getEffectiveLevel()).isEqualTo(Level.TRACE);
    await("the revert after the duration").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> get("/logging/toggle").body().equals("0\n"));
    assertThat(logback.getLogger("io.jmesos.master").getEffectiveLevel()).isEqualTo(Level.INFO);
    assertThat(get("/logging/toggle?level=1").statusCode()).isEqualTo(400);
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + master.address().getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
