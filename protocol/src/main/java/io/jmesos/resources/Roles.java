package io.jmesos.resources;

import java.util.Optional;

/**
 * Role names as Mesos accepts them: {@code *} (no role), or a path of '/'-separated components,
 * each non-empty, neither {@code .} nor {@code ..}, not starting with '-', and free of whitespace,
 * control characters and '*'. Stateless and thread-safe.
 */
public final class Roles {

  /** The role of unreserved resources and of frameworks that name no role. */
  public static final String ANY = "*";

  private Roles() {}

  /** An error for an invalid role name, or empty. */
  public static Optional<String> validate(String role) {
    if (ANY.equals(role)) {
      return Optional.empty();
    }
    if (role == null || role.isEmpty()) {
      return Optional.of("Empty role name is invalid");
    }
    if (role.startsWith("/") || role.endsWith("/")) {
      return Optional.of("Role '" + role + "' cannot start or end with a slash");
    }
    for (String component : role.split("/", -1)) {
      if (component.isEmpty()) {
        return Optional.of("Role '" + role + "' cannot contain two adjacent slashes");
      }
      if (component.equals(".") || component.equals("..")) {
        return Optional.of("Role '" + role + "' cannot contain '.' or '..' as a component");
      }
      if (component.startsWith("-")) {
        return Optional.of("Role '" + role + "' cannot have a component starting with '-'");
      }
      for (int i = 0; i < component.length(); i++) {
        char c = component.charAt(i);
        if (c <= 0x20 || c == 0x7f || c == '*') {
          return Optional.of(String.format(
              "Role '%s' cannot contain the character 0x%02x", role, (int) c));
        }
      }
    }
    return Optional.empty();
  }

  /** True when {@code role} is strictly below {@code ancestor} in the hierarchy ("a/b" in "a"). */
  public static boolean isStrictSubroleOf(String role, String ancestor) {
    return role.length() > ancestor.length() + 1
        && role.startsWith(ancestor)
        && role.charAt(ancestor.length()) == '/';
  }
}
