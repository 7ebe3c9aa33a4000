package org.apache.mesos.state;

import com.google.protobuf.ByteString;
import io.jmesos.internal.state.StateProtos.Entry;
import io.jmesos.state.StateFuture;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Future;

/**
 * A {@link State} in this object's memory, for tests, behaving as Mesos' Java {@code InMemoryState}: the
 * futures are done when returned; fetching a missing variable adds it (empty, with a new version), so it is
 * among the {@link #names()} from then on; a store or expunge succeeds only if the variable's version is the
 * current one (a variable whose name was expunged cannot be stored again: fetch it anew). Unlike Mesos', storing
 * a variable that was not mutated keeps its value (Mesos' stores {@code null}). Thread-safe.
 */
public class InMemoryState implements State {
  private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

  @Override
  public Future<Variable> fetch(String name) {
    Objects.requireNonNull(name, "name");
    Entry entry = entries.computeIfAbsent(name, missing -> Entry.newBuilder()
        .setName(missing)
        .setUuid(AbstractState.randomUuid())
        .setValue(ByteString.EMPTY)
        .build());
    return StateFuture.completed(new Variable(entry));
  }

  @Override
  public Future<Variable> store(Variable variable) {
    Entry current = variable.entry();
    Entry next = Entry.newBuilder()
        .setName(current.getName())
        .setUuid(AbstractState.randomUuid())
        .setValue(current.getValue())
        .build();
    Entry stored = entries.computeIfPresent(current.getName(),
        (name, present) -> present.getUuid().equals(current.getUuid()) ? next : present);
    return StateFuture.completed(stored == next ? new Variable(next) : null);
  }

  @Override
  public Future<Boolean> expunge(Variable variable) {
    Entry current = variable.entry();
    boolean[] removed = new boolean[1];
    entries.computeIfPresent(current.getName(), (name, present) -> {
      removed[0] = present.getUuid().equals(current.getUuid());
      return removed[0] ? null : present;
    });
    return StateFuture.completed(removed[0]);
  }

  @Override
  public Future<Iterator<String>> names() {
    return StateFuture.completed(List.copyOf(entries.keySet()).iterator());
  }
}
