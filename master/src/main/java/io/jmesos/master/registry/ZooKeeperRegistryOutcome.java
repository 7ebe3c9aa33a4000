package io.jmesos.master.registry;

import io.jmesos.internal.RegistryStoreProtos.RegistryHead;
import java.util.Optional;

/**
 * What a store makes of the head it reads again after its switch did not plainly succeed (a version conflict, a
 * lost connection, an expired session). Pure; see {@link #judge}.
 */
enum ZooKeeperRegistryOutcome {
  /** The head carries this store call's generation and writer token: the switch happened. */
  SWITCHED,
  /** Another writer switched, deleted or re-created the head: this store is fenced. */
  FENCED,
  /** The head is as this store last saw it: the switch did not happen, the store failed. */
  UNCHANGED;

  /**
   * Judges the re-read head {@code current} (absent if there is none) at {@code currentVersion}, for a store call
   * that tried to write {@code generation} as {@code writer} over the head it saw at {@code seenVersion} (-1: none)
   * and {@code seenGeneration}.
   */
  static ZooKeeperRegistryOutcome judge(Optional<RegistryHead> current, int currentVersion, long generation,
      String writer, int seenVersion, long seenGeneration) {
    if (current.isEmpty()) {
      return seenVersion < 0 ? UNCHANGED : FENCED;
    }
    RegistryHead head = current.get();
    if (head.getGeneration() == generation && head.getWriter().equals(writer)) {
      return SWITCHED;
    }
    return currentVersion == seenVersion && head.getGeneration() == seenGeneration ? UNCHANGED : FENCED;
  }
}
