package io.jmesos.master.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Test credentials: a file in Mesos' JSON format and the headers that present them (shared by the master's
 * authentication and authorization tests). */
public final class Credentials {
  public static final String JSON = "{\"credentials\": [{\"principal\": \"ops\", \"secret\": \"ops-secret\"},"
      + " {\"principal\": \"alice\", \"secret\": \"alice-secret\"}, {\"principal\": \"bob\", \"secret\": \"bob-pw\"}]}";

  private Credentials() {}

  /** Writes {@link #JSON} to {@code dir/credentials}, readable by its owner only; returns its path. */
  public static Path write(Path dir) throws IOException {
    Path path = dir.resolve("credentials");
    Files.writeString(path, JSON);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    return path;
  }

  public static String basic(String principal, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((principal + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  public static final String OPS = basic("ops", "ops-secret");
  public static final String ALICE = basic("alice", "alice-secret");
  public static final String BOB = basic("bob", "bob-pw");
  public static final String WRONG = basic("ops", "not-the-secret");
  public static final String MALFORMED = "Basic not-base64!";
}
