package io.jmesos.agent.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** A user an executor runs as, with the ids {@code setpriv} switches to. Immutable. */
public record RunAs(String name, long uid, long gid) {
  public RunAs {
    Objects.requireNonNull(name, "name");
  }

  /**
   * Looks a user up through the system's name service ({@code id}), so that users from LDAP and friends
   * work as they do for Mesos' {@code getpwnam}. Blocking.
   *
   * @throws IOException naming the user when it does not exist
   */
  public static RunAs lookup(String name) throws IOException {
    if (name.isEmpty() || name.startsWith("-")) {
      throw new IOException("Invalid user name '" + name + "'");
    }
    return new RunAs(name, id("-u", name), id("-g", name));
  }

  private static long id(String option, String name) throws IOException {
    Process process = new ProcessBuilder("id", option, "--", name).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("Timed out looking up user '" + name + "'");
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.exitValue() != 0) {
        throw new IOException("Failed to get user information for '" + name + "': no such user");
      }
      return Long.parseLong(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted looking up user '" + name + "'", e);
    } catch (NumberFormatException e) {
      throw new IOException("Unexpected answer of 'id " + option + " " + name + "'", e);
    }
  }
}
