package io.jmesos.master.validation;

import java.util.Optional;

/** Mesos' rules for ids chosen by frameworks (task, executor ids): {@code common::validation::validateID}. */
public final class Ids {
  private Ids() {}

  public static Optional<String> validate(String id) {
    if (id.isEmpty()) {
      return Optional.of("ID must not be empty");
    }
    if (id.length() > 255) {
      return Optional.of("ID must not be greater than 255 characters");
    }
    if (id.equals(".") || id.equals("..")) {
      return Optional.of("'" + id + "' is disallowed");
    }
    for (char c : id.toCharArray()) {
      if (c == '/' || c == '\\') {
        return Optional.of("'" + c + "' is disallowed");
      }
      if (Character.isISOControl(c)) {
        return Optional.of("Control characters are disallowed");
      }
    }
    return Optional.empty();
  }
}
