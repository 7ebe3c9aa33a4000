package io.jmesos.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.json.MesosJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.Credential;
import org.apache.mesos.Protos.Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a credentials file as Mesos 1.11's {@code credentials::read}: the value of {@code --credentials} or
 * {@code --http_credentials}, a path with or without a {@code file://} prefix, naming a JSON document
 * {@code {"credentials": [{"principal": "...", "secret": "..."}, ...]}} (Mesos' {@code Credentials} message).
 * Mesos 1.11 removed the older text format ({@code principal secret} per line): such a file is refused, and the
 * error says so. A file that others may read, write or execute is loaded with a warning, as Mesos does.
 * Stateless and thread-safe; it blocks on the file, so daemons call it at start-up.
 */
public final class CredentialsFile {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsFile.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private CredentialsFile() {}

  /**
   * The credentials in the file {@code location} names; empty when the file is empty (Mesos' daemons refuse
   * that with their own message).
   *
   * @throws IllegalArgumentException with Mesos' message when the file cannot be read or parsed
   */
  public static Optional<CredentialSet> read(String location) {
    Path path = Path.of(location.startsWith("file://") ? location.substring("file://".length()) : location);
    LOG.info("Loading credentials for authentication from '{}'", path);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new IllegalArgumentException("Failed to read credentials file '" + path + "': " + reason(e), e);
    }
    if (bytes.length == 0) {
      return Optional.empty();
    }
    warnIfOpen(path);
    String text = new String(bytes, StandardCharsets.UTF_8);
    JsonNode json = parseObject(text);
    Credentials credentials;
    try {
      credentials = MesosJson.fromTree(json, Credentials.newBuilder()).build();
    } catch (MesosJson.ParseException e) {
      // The parser quotes a wrongly typed value ("got number 1234"): drop it, it may be a secret.
      throw new IllegalArgumentException("Failed to parse credentials: "
          + e.getMessage().replaceFirst("(, got [a-z]+) .*$", "$1"));
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    for (Credential credential : credentials.getCredentialsList()) {
      secrets.put(credential.getPrincipal(), credential.getSecret());
    }
    return Optional.of(CredentialSet.of(secrets));
  }

  /**
   * The one credential in the file {@code location} names (Mesos' {@code credentials::readCredential}, for the
   * agent's {@code --credential}): a JSON object {@code {"principal": "...", "secret": "..."}}; empty when the
   * file is empty.
   *
   * @throws IllegalArgumentException with Mesos' message when the file cannot be read or parsed
   */
  public static Optional<Credential> readCredential(String location) {
    Path path = Path.of(location.startsWith("file://") ? location.substring("file://".length()) : location);
    LOG.info("Loading credential for authentication from '{}'", path);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new IllegalArgumentException("Failed to read credential file '" + path + "': " + reason(e), e);
    }
    if (bytes.length == 0) {
      return Optional.empty();
    }
    warnIfOpen(path, "credential");
    String text = new String(bytes, StandardCharsets.UTF_8);
    JsonNode json = parseObject(text);
    try {
      return Optional.of(MesosJson.fromTree(json, Credential.newBuilder()).build());
    } catch (MesosJson.ParseException e) {
      throw new IllegalArgumentException("Failed to parse credential: "
          + e.getMessage().replaceFirst("(, got [a-z]+) .*$", "$1"));
    }
  }

  private static JsonNode parseObject(String text) {
    JsonNode json;
    try {
      json = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // Not Jackson's message: it quotes the offending token, which may be a secret.
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new IllegalArgumentException("Invalid json format: malformed JSON" + where + textFormatHint(text));
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("Invalid json format: expecting a JSON object" + textFormatHint(text));
    }
    return json;
  }

  private static void warnIfOpen(Path path) {
    warnIfOpen(path, "credentials");
  }

  private static void warnIfOpen(Path path, String what) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      if (permissions.stream().anyMatch(OTHERS::contains)) {
        LOG.warn("Permissions on {} file '{}' are too open; it is recommended that your {} file is NOT accessible "
            + "by others", what, path, what);
      }
    } catch (UnsupportedOperationException e) {
      LOG.debug("Cannot check the permissions of {} file '{}': no POSIX permissions", what, path);
    } catch (IOException e) {
      LOG.warn("Failed to stat {} file '{}': {}", what, path, reason(e));
    }
  }

  /** A hint for a file in the text format Mesos 1.11 dropped: every line two words. */
  private static String textFormatHint(String text) {
    boolean lines = text.lines().filter(l -> !l.isBlank()).allMatch(l -> l.trim().split("\\s+").length == 2);
    return lines ? " (the text format, 'principal secret' per line, is not supported since Mesos 1.11: write "
        + "{\"credentials\": [{\"principal\": ..., \"secret\": ...}]})" : "";
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
