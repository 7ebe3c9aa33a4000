package io.jmesos.allocator;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.FrameworkInfo.Capability;

/** The roles a framework subscribes to, as Mesos' {@code protobuf::framework::getRoles}. Stateless. */
public final class FrameworkRoles {
  private FrameworkRoles() {}

  /** {@code roles} for a MULTI_ROLE framework, else the single (deprecated) {@code role}, default {@code *}. */
  @SuppressWarnings("deprecation") // The single role is deprecated in Mesos but still honoured.
  public static Set<String> of(FrameworkInfo info) {
    if (isMultiRole(info)) {
      return new LinkedHashSet<>(info.getRolesList());
    }
    return Set.of(info.getRole());
  }

  public static boolean isMultiRole(FrameworkInfo info) {
    return hasCapability(info, Capability.Type.MULTI_ROLE);
  }

  public static boolean hasCapability(FrameworkInfo info, Capability.Type type) {
    return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
  }
}
