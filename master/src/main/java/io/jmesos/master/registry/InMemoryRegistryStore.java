package io.jmesos.master.registry;

import io.jmesos.internal.RegistryProtos.Registry;

/**
 * {@code --registry=in_memory}: the registry lives and dies with the master (tests, throwaway clusters). One
 * instance may be shared by successive masters in one JVM, so that a test can fail a master over and keep its
 * registry; fencing is by a version counter as in the durable stores.
 */
public final class InMemoryRegistryStore implements RegistryStore {
  private Registry registry = Registry.getDefaultInstance();
  private long version;

  /** A handle on the same registry, with its own view of the version (as a second master would have). */
  public RegistryStore handle() {
    return new RegistryStore() {
      private long seen = -1;

      @Override
      public Registry fetch() {
        synchronized (InMemoryRegistryStore.this) {
          seen = version;
          return registry;
        }
      }

      @Override
      public void store(Registry updated) throws FencedException {
        synchronized (InMemoryRegistryStore.this) {
          if (seen != version) {
            throw new FencedException("The in-memory registry was stored by another master (version " + version
                + ", expected " + seen + ")");
          }
          registry = updated;
          seen = ++version;
        }
      }

      @Override
      public String describe() {
        return "in_memory";
      }

      @Override
      public boolean blocking() {
        return false;
      }
    };
  }

  private final RegistryStore own = handle();

  @Override
  public Registry fetch() throws Exception {
    return own.fetch();
  }

  @Override
  public void store(Registry updated) throws Exception {
    own.store(updated);
  }

  @Override
  public String describe() {
    return "in_memory";
  }

  @Override
  public boolean blocking() {
    return false;
  }
}
