package io.jmesos.master.election;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.mesos.Protos.MasterInfo;

/**
 * Whether this master acts as the leader, and which master leads: the bookkeeping behind Mesos' {@code
 * Master::elected()}, {@code leader} and {@code electedTime}. No policy here ({@link Candidacy} decides).
 *
 * <p>States: {@code FOLLOWING} (not elected yet) -> {@code LEADING} (elected) <-> {@code SUSPENDED} (elected, but
 * the ZooKeeper connection is suspended: another master may lead already); {@code LEADING} or {@code SUSPENDED}
 * -> {@code LOST} (for good: the master exits). Any other transition is a bug and throws.
 *
 * <p>Threading: changed on the master's actor only; read from any thread (the HTTP edge decides on I/O threads
 * whether to serve or redirect).
 */
public final class Leadership {
  /** This master's part in the election. */
  public enum State { FOLLOWING, LEADING, SUSPENDED, LOST }

  private final MasterInfo self;
  private volatile State state = State.FOLLOWING;
  private volatile Optional<MasterInfo> detected = Optional.empty();
  private volatile OptionalDouble electedTime = OptionalDouble.empty();

  public Leadership(MasterInfo self) {
    this.self = Objects.requireNonNull(self, "self");
  }

  /** The MasterInfo this master publishes. */
  public MasterInfo self() {
    return self;
  }

  public State state() {
    return state;
  }

  /** Mesos' {@code elected()}: this master leads and may act on it (serve frameworks and agents). */
  public boolean acting() {
    return state == State.LEADING;
  }

  /**
   * The leading master as this master knows it: itself while it acts as the leader, else the leader its detector
   * last saw; empty when none is known, and while this master is not acting although its detector names it (it
   * cannot vouch for itself then, and a redirect to itself would loop).
   */
  public Optional<MasterInfo> leader() {
    if (state == State.LEADING) {
      return Optional.of(self);
    }
    return detected.filter(leader -> !leader.getId().equals(self.getId()));
  }

  /** When this master was last elected, in seconds since the epoch; empty until elected. */
  public OptionalDouble electedTime() {
    return electedTime;
  }

  /** Elected (first time or again after a suspension) at {@code now}. */
  void lead(double now) {
    to(State.LEADING, state == State.FOLLOWING || state == State.SUSPENDED);
    electedTime = OptionalDouble.of(now);
  }

  void suspend() {
    to(State.SUSPENDED, state == State.LEADING);
  }

  void lose() {
    to(State.LOST, state == State.LEADING || state == State.SUSPENDED);
  }

  /** What the detector saw lead (possibly this master). */
  void detected(Optional<MasterInfo> leader) {
    detected = Objects.requireNonNull(leader, "leader");
  }

  private void to(State next, boolean legal) {
    if (!legal) {
      throw new IllegalStateException("Illegal leadership transition " + state + " -> " + next);
    }
    state = next;
  }
}
