package io.jmesos.testing;

import io.jmesos.master.http.SchedulerTap;
import io.jmesos.master.state.SchedulerConnection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The master's scheduler tap in a {@link FaultCluster}: wraps every subscription stream so its events pass
 * through the event {@link Rules}, and remembers the streams so a test can cut them. A stream belongs to the
 * framework named in its SUBSCRIBE call. Thread-safe.
 */
final class Streams implements SchedulerTap {
  /** An event the master sends on a stream. */
  record Item(Stream stream, Event event) {}

  private final Rules<Item> rules;
  private final List<Stream> streams = new CopyOnWriteArrayList<>();

  Streams(Rules<Item> rules) {
    this.rules = rules;
  }

  Rules<Item> rules() {
    return rules;
  }

  @Override
  public SchedulerConnection wrap(FrameworkInfo framework, SchedulerConnection connection) {
    Stream stream = new Stream(framework.getName(), connection);
    streams.add(stream);
    connection.onClose(() -> streams.remove(stream));
    return stream;
  }

  /** Ends every open stream of the selected frameworks from the master's side; returns how many. */
  int cut(Predicate<Stream> which) {
    int cut = 0;
    for (Stream s : streams) {
      if (which.test(s)) {
        s.close();
        cut++;
      }
    }
    return cut;
  }

  /** One subscription's stream as the master uses it. */
  final class Stream implements SchedulerConnection {
    final String frameworkName;
    private final SchedulerConnection delegate;

    Stream(String frameworkName, SchedulerConnection delegate) {
      this.frameworkName = frameworkName;
      this.delegate = delegate;
    }

    @Override
    public String streamId() {
      return delegate.streamId();
    }

    @Override
    public void send(Event event) {
      rules.handle(new Item(this, event), new Rules.Delivery() {
        @Override
        public void now() {
          delegate.send(event);
        }

        @Override
        public void later(Runnable then) {
          delegate.send(event); // the stream is thread-safe; late events go after those already written
          then.run();
        }
      });
    }

    @Override
    public void onClose(Runnable callback) {
      delegate.onClose(callback);
    }

    @Override
    public void close() {
      delegate.close();
    }

    @Override
    public String toString() {
      return delegate + " of framework '" + frameworkName + "'";
    }
  }
}
