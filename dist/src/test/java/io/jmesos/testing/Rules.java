package io.jmesos.testing;

import io.jmesos.actor.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The interception rules of one kind of traffic (internal messages, or scheduler events), and the decision
 * for each item: the first matching action rule (drop, hold or duplicate, in the order they were made)
 * decides; with none, the item goes on at once. Futures waiting for an item complete when it is delivered.
 *
 * <p>Thread-safe. {@link #handle} is called on the thread that carries the item (a Netty I/O thread, or the
 * master's actor); futures complete there, or on the thread that releases a held item.
 *
 * @param <I> an intercepted item with what it is matched on
 */
final class Rules<I> {
  /** How an item goes on: now on the carrying thread, or later from any thread, then {@code then}. */
  interface Delivery {
    void now();

    void later(Runnable then);
  }

  private final Clock clock;
  private final List<Action<I>> actions = new ArrayList<>();
  private final List<Observer<I, ?>> observers = new ArrayList<>();

  Rules(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Decides what becomes of {@code item}. */
  void handle(I item, Delivery delivery) {
    Action<I> action = null;
    synchronized (this) {
      for (Iterator<Action<I>> it = actions.iterator(); it.hasNext(); ) {
        Action<I> a = it.next();
        if (a.match.test(item)) {
          action = a;
          if (a.once) {
            it.remove();
          }
          break;
        }
      }
    }
    if (action == null) {
      delivery.now();
      delivered(item);
    } else {
      action.apply(item, delivery);
    }
  }

  /** Completes (and forgets) every future waiting for an item like {@code item}. */
  void delivered(I item) {
    List<Observer<I, ?>> matched = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Observer<I, ?>> it = observers.iterator(); it.hasNext(); ) {
        Observer<I, ?> o = it.next();
        if (o.match.test(item)) {
          matched.add(o);
          it.remove();
        }
      }
    }
    matched.forEach(o -> o.complete(item));
  }

  <V> CompletableFuture<V> observe(Predicate<I> match, Function<I, V> view) {
    Observer<I, V> o = new Observer<>(match, view);
    synchronized (this) {
      observers.add(o);
    }
    return o.future;
  }

  <V> CompletableFuture<V> dropNext(Predicate<I> match, Function<I, V> view) {
    CompletableFuture<V> dropped = new CompletableFuture<>();
    add(new Action<>(match, true) {
      @Override
      void apply(I item, Delivery delivery) {
        dropped.complete(view.apply(item));
      }
    });
    return dropped;
  }

  <V> Dropping<V> dropAll(Predicate<I> match, Function<I, V> view) {
    Dropping<V> handle = new Dropping<>();
    Action<I> action = new Action<>(match, false) {
      @Override
      void apply(I item, Delivery delivery) {
        handle.add(view.apply(item));
      }
    };
    handle.onClose(() -> remove(action));
    add(action);
    return handle;
  }

  <V> CompletableFuture<V> duplicateNext(Predicate<I> match, Function<I, V> view) {
    CompletableFuture<V> duplicated = new CompletableFuture<>();
    add(new Action<>(match, true) {
      @Override
      void apply(I item, Delivery delivery) {
        delivery.now();
        delivered(item);
        delivery.now();
        duplicated.complete(view.apply(item));
      }
    });
    return duplicated;
  }

  <V> Held<V> holdNext(Predicate<I> match, Function<I, V> view) {
    Held<V> held = new Held<>(clock);
    Action<I> action = new Action<>(match, true) {
      @Override
      void apply(I item, Delivery delivery) {
        held.capture(view.apply(item), () -> delivery.later(() -> delivered(item)));
      }
    };
    held.onReleaseBeforeCapture(() -> remove(action));
    add(action);
    return held;
  }

  private synchronized void add(Action<I> action) {
    actions.add(action);
  }

  private synchronized void remove(Action<I> action) {
    actions.remove(action);
  }

  private abstract static class Action<I> {
    final Predicate<I> match;
    final boolean once;

    Action(Predicate<I> match, boolean once) {
      this.match = match;
      this.once = once;
    }

    abstract void apply(I item, Delivery delivery);
  }

  private static final class Observer<I, V> {
    final Predicate<I> match;
    final Function<I, V> view;
    final CompletableFuture<V> future = new CompletableFuture<>();

    Observer(Predicate<I> match, Function<I, V> view) {
      this.match = match;
      this.view = view;
    }

    void complete(I item) {
      try {
        future.complete(view.apply(item));
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }
  }
}
