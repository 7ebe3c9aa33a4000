package io.jmesos.state;

import com.google.protobuf.ByteString;
import io.jmesos.internal.state.StateProtos.Entry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where a state keeps its entries, after Mesos' {@code mesos::state::Storage}. Failures complete the futures
 * exceptionally with a {@link StorageException}. Cancelling a returned future before its operation started
 * skips the operation. Thread-safe.
 */
public interface Storage extends AutoCloseable {
  /** The entry called {@code name}, or nothing when there is none. */
  CompletableFuture<Optional<Entry>> get(String name);

  /**
   * Replaces the entry called {@code entry.getName()} by {@code entry} if the stored one's uuid is {@code uuid},
   * or creates it if there is none; false when the stored entry has another uuid (it changed since it was read).
   */
  CompletableFuture<Boolean> set(Entry entry, ByteString uuid);

  /** Removes the stored entry if its uuid is {@code entry}'s; false when there is none or it has changed. */
  CompletableFuture<Boolean> expunge(Entry entry);

  /** The names of the stored entries. */
  CompletableFuture<Set<String>> names();

  /** Fails pending operations with "No longer managing storage" and releases resources; idempotent. */
  @Override
  void close();
}
