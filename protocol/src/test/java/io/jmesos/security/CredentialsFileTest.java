package io.jmesos.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Credentials files as Mesos 1.11 reads them: JSON, a path or {@code file://}, clear errors, no secret in them. */
@Timeout(10)
class CredentialsFileTest {
  private static final String JSON = "{\"credentials\": [{\"principal\": \"alice\", \"secret\": \"s3cret\"},"
      + " {\"principal\": \"bob\", \"secret\": \"hunter2\"}]}";
  @TempDir
  Path dir;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger log = (Logger) LoggerFactory.getLogger(CredentialsFile.class);

  @BeforeEach
  void watchLog() {
    logs.start();
    log.addAppender(logs);
  }

  @AfterEach
  void stopWatching() {
    log.detachAppender(logs);
  }

  private Path file(String content) throws IOException {
    Path path = dir.resolve("credentials");
    Files.writeString(path, content);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    return path;
  }

  @Test
  void jsonCredentialsByPathOrFileUrl() throws IOException {
    Path path = file(JSON);
    CredentialSet credentials = CredentialsFile.read(path.toString()).orElseThrow();
    assertThat(credentials.principals()).containsExactly("alice", "bob");
    assertThat(credentials.secrets()).containsEntry("alice", "s3cret").containsEntry("bob", "hunter2");
    assertThat(CredentialsFile.read("file://" + path).orElseThrow().secrets()).isEqualTo(credentials.secrets());
    assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("too open"));
  }

  @Test
  void aPrincipalWithoutSecretHasTheEmptySecretAndNoCredentialsIsAllowed() throws IOException {
    assertThat(CredentialsFile.read(file("{\"credentials\": [{\"principal\": \"p\"}]}").toString()).orElseThrow()
        .secrets()).containsExactly(java.util.Map.entry("p", ""));
    assertThat(CredentialsFile.read(file("{\"credentials\": []}").toString()).orElseThrow().size()).isZero();
  }

  @Test
  void emptyFileHasNoCredentials() throws IOException {
    assertThat(CredentialsFile.read(file("").toString())).isEmpty();
  }

  @Test
  void missingFileIsMesosReadError() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> CredentialsFile.read("file://" + missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Failed to read credentials file '" + missing + "': No such file or directory");
  }

  @Test
  void malformedJsonIsInvalidJsonFormatWithoutQuotingTheFile() throws IOException {
    Path path = file("{\"credentials\": [{\"principal\": \"alice\", \"secret\": s3cret}]}");
    assertThatThrownBy(() -> CredentialsFile.read(path.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid json format: malformed JSON at line 1, column")
        .hasMessageNotContaining("s3cret")
        .hasNoCause();
    assertThatThrownBy(() -> CredentialsFile.read(file("[]").toString()))
        .hasMessage("Invalid json format: expecting a JSON object");
  }

  @Test
  void theTextFormatMesosRemovedIsRefusedWithAHint() throws IOException {
    Path path = file("alice s3cret\nbob hunter2\n");
    assertThatThrownBy(() -> CredentialsFile.read(path.toString()))
        .hasMessageStartingWith("Invalid json format: malformed JSON at line 1")
        .hasMessageContaining("the text format, 'principal secret' per line, is not supported since Mesos 1.11")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void jsonThatIsNotCredentialsIsAParseErrorNamingTheFieldNotTheValue() throws IOException {
    assertThatThrownBy(() -> CredentialsFile.read(file("{\"credentials\": [{\"secret\": \"s3cret\"}]}").toString()))
        .hasMessageStartingWith("Failed to parse credentials: ")
        .hasMessageContaining("principal")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> CredentialsFile.read(
        file("{\"credentials\": [{\"principal\": \"a\", \"secret\": 987654}]}").toString()))
        .hasMessageStartingWith("Failed to parse credentials: ")
        .hasMessageContaining("secret")
        .hasMessageNotContaining("987654");
  }

  @Test
  void aFileOthersCanReadIsLoadedWithMesosWarning() throws IOException {
    Path path = file(JSON);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(CredentialsFile.read(path.toString())).isPresent();
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).isEqualTo("Permissions on "
        + "credentials file '" + path + "' are too open; it is recommended that your credentials file is NOT "
        + "accessible by others"));
    assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("s3cret"));
  }
}
