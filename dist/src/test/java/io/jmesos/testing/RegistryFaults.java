package io.jmesos.testing;

import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.master.registry.InMemoryRegistryStore;
import io.jmesos.master.registry.RegistryStore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry that outlives the {@link FaultCluster}'s masters (Mesos' tests use {@code --registry=replicated_log}
 * for that), kept in memory but written off the master's actor as a durable store is, and whose stores a test
 * can hold: a registry write then stays in progress until released, as a slow disk or ZooKeeper would keep it.
 * Thread-safe.
 */
public final class RegistryFaults {
  private final InMemoryRegistryStore registry = new InMemoryRegistryStore();
  private final Object lock = new Object();
  private final AtomicInteger stores = new AtomicInteger();
  private boolean holding;
  private int held;

  /** A store for one master: the next master gets a new handle (and fences the previous one). */
  RegistryStore handle() {
    RegistryStore handle = registry.handle();
    return new RegistryStore() {
      @Override
      public Registry fetch() throws Exception {
        return handle.fetch();
      }

      @Override
      public void store(Registry updated) throws Exception {
        synchronized (lock) {
          held++;
          while (holding) {
            lock.wait();
          }
          held--;
        }
        handle.store(updated);
        stores.incrementAndGet();
      }

      @Override
      public String describe() {
        return "fault-cluster registry";
      }
    };
  }

  /** What the registry holds now. */
  public Registry registry() {
    try {
      return registry.fetch();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Registry writes from now on wait until {@link #release()}. */
  public void hold() {
    synchronized (lock) {
      holding = true;
    }
  }

  /** Lets held and later registry writes through. */
  public void release() {
    synchronized (lock) {
      holding = false;
      lock.notifyAll();
    }
  }

  /** How many registry writes are waiting for {@link #release()}. */
  public int held() {
    synchronized (lock) {
      return held;
    }
  }

  /** True while writes are held: the cluster settles without waiting for them. */
  boolean holding() {
    synchronized (lock) {
      return holding;
    }
  }

  /** How many registry writes completed. */
  public int stores() {
    return stores.get();
  }
}
