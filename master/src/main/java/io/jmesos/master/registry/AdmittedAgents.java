package io.jmesos.master.registry;

import io.jmesos.internal.RegistryProtos.Registry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.mesos.Protos.SlaveID;

/**
 * The ids of the admitted agents of a registry being updated, for one batch of operations: as the {@code slaveIDs}
 * hash set Mesos' registrar hands every operation, it answers "is this agent admitted?" without a scan of every
 * agent per operation (a registration storm of N agents otherwise costs O(N) per admission on the master's actor).
 * Built on first use; operations that add or remove an admitted agent keep it up to date, any other change to the
 * registry drops it ({@link #invalidate()}) to be rebuilt when next asked. Not thread-safe: the registrar's actor.
 */
public final class AdmittedAgents {
  private final Registry.Builder registry;
  private Set<SlaveID> ids;

  public AdmittedAgents(Registry.Builder registry) {
    this.registry = registry;
  }

  /** The index of admitted agent {@code id} in the registry's admitted list, or -1. */
  int indexOf(SlaveID id) {
    if (!contains(id)) {
      return -1;
    }
    List<Registry.Slave> slaves = registry.getSlavesOrBuilder().getSlavesList();
    for (int i = 0; i < slaves.size(); i++) {
      if (slaves.get(i).getInfo().getId().equals(id)) {
        return i;
      }
    }
    ids = null; // out of date after all
    return -1;
  }

  boolean contains(SlaveID id) {
    if (ids == null) {
      List<Registry.Slave> slaves = registry.getSlavesOrBuilder().getSlavesList();
      ids = new HashSet<>(slaves.size() * 2);
      for (Registry.Slave slave : slaves) {
        ids.add(slave.getInfo().getId());
      }
    }
    return ids.contains(id);
  }

  void added(SlaveID id) {
    if (ids != null) {
      ids.add(id);
    }
  }

  void removed(SlaveID id) {
    if (ids != null) {
      ids.remove(id);
    }
  }

  /** The registry changed in a way this index does not know of: rebuilt on next use. */
  public void invalidate() {
    ids = null;
  }
}
