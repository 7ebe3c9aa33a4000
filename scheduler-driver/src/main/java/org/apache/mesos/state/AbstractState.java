package org.apache.mesos.state;

import com.google.protobuf.ByteString;
import io.jmesos.internal.state.StateProtos.Entry;
import io.jmesos.state.StateFuture;
import io.jmesos.state.Storage;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A {@link State} over a storage, with Mesos' semantics ({@code mesos::state::State}): a fetch of a missing
 * variable gives a new one with a random version and an empty value; a store writes the value with a new random
 * version (uuid) if the stored version is still the variable's, or creates the variable if it is missing
 * (so a stale variable of an expunged name can be stored again); an expunge removes the variable if its
 * version is still the stored one.
 *
 * <p>The futures behave as Mesos' JNI ones (see {@link StateFuture}): {@code cancel(true)} asks for a discard
 * and returns false, {@code isCancelled()} is false, a failure is an {@code ExecutionException} with Mesos'
 * message. Subclasses set the storage in their {@code initialize} methods. The storage (its thread, its
 * connection) is released when the state becomes unreachable, as Mesos' finalizer does. Thread-safe.
 */
public abstract class AbstractState implements State {
  private static final Cleaner CLEANER = Cleaner.create();

  private volatile Storage storage;
  private volatile Cleaner.Cleanable cleanable;

  public AbstractState() {}

  @Override
  public Future<Variable> fetch(String name) {
    Objects.requireNonNull(name, "name");
    CompletableFuture<Optional<Entry>> operation = storage().get(name);
    return new StateFuture<>(operation.thenApply(found -> new Variable(found.orElseGet(() -> fresh(name)))),
        operation, this);
  }

  @Override
  public Future<Variable> store(Variable variable) {
    Entry current = variable.entry();
    // A new version even if the value did not change, as Mesos.
    Entry next = Entry.newBuilder()
        .setName(current.getName())
        .setUuid(randomUuid())
        .setValue(current.getValue())
        .build();
    CompletableFuture<Boolean> operation = storage().set(next, current.getUuid());
    return new StateFuture<>(operation.thenApply(stored -> stored ? new Variable(next) : null), operation,
        this);
  }

  @Override
  public Future<Boolean> expunge(Variable variable) {
    CompletableFuture<Boolean> operation = storage().expunge(variable.entry());
    return new StateFuture<>(operation, operation, this);
  }

  @Override
  public Future<Iterator<String>> names() {
    CompletableFuture<Set<String>> operation = storage().names();
    return new StateFuture<>(operation.thenApply(names -> new ArrayList<>(names).iterator()),
        operation, this);
  }

  /** Sets the storage, once; it is closed when this state becomes unreachable or is closed. */
  final void attach(Storage attached) {
    Objects.requireNonNull(attached, "storage");
    synchronized (this) {
      if (storage != null) {
        attached.close();
        throw new IllegalStateException("The state is already initialized");
      }
      storage = attached;
      cleanable = CLEANER.register(this, attached::close);
    }
  }

  /** Closes the storage now rather than when this state is collected: pending operations fail. For tests. */
  final void close() {
    Cleaner.Cleanable registered = cleanable;
    if (registered != null) {
      registered.clean();
    }
  }

  private Storage storage() {
    Storage attached = storage;
    if (attached == null) {
      throw new IllegalStateException("The state has no storage: " + getClass().getName() + " did not initialize");
    }
    return attached;
  }

  /** A variable that was never stored: a random version and no value. */
  private static Entry fresh(String name) {
    return Entry.newBuilder().setName(name).setUuid(randomUuid()).setValue(ByteString.EMPTY).build();
  }

  /** A random (version 4) UUID's 16 bytes, as Mesos' {@code id::UUID::random().toBytes()}. */
  static ByteString randomUuid() {
    UUID uuid = UUID.randomUUID();
    ByteBuffer bytes = ByteBuffer.allocate(16);
    bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return ByteString.copyFrom(bytes.array());
  }
}
