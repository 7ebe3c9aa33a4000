package io.jmesos.allocator;

import java.util.HashSet;
import java.util.Set;
import org.apache.mesos.Protos.FrameworkInfo;

/** The allocator's view of one framework. Owned by the allocator's actor; not thread-safe. */
final class FrameworkState {
  FrameworkInfo info;
  Set<String> roles;
  boolean active;
  final Set<String> suppressedRoles = new HashSet<>();

  FrameworkState(FrameworkInfo info, boolean active) {
    update(info);
    this.active = active;
  }

  void update(FrameworkInfo info) {
    this.info = info;
    this.roles = FrameworkRoles.of(info);
  }

  boolean wantsOffersFor(String role) {
    return active && !suppressedRoles.contains(role);
  }
}
