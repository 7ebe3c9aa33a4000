package io.jmesos.master.election;

import io.jmesos.actor.Actor;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.mesos.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the master does with election news, as Mesos' {@code Master::detected} and {@code Master::lostCandidacy}:
 * the first election runs the master's {@code lead} hook (exactly once); a suspended ZooKeeper connection stops
 * the leader from acting until it is elected again; a leader that loses its candidacy stops for good through the
 * {@code fatal} hook ({@code mesos-master} exits with status 1 and its supervisor restarts it as a follower); a
 * follower that loses its candidacy contends again.
 *
 * <p>Unlike Mesos, electedness follows the contender, not the detector: the two watch ZooKeeper on different
 * threads, so a leader's detector may still name the previous leader for a moment, which must not make the new
 * leader exit ("Conceded leadership"). A lost or deleted znode reaches the contender, which reports it here.
 *
 * <p>Threading: every method runs on the master's actor.
 */
public final class Candidacy {
  private static final Logger LOG = LoggerFactory.getLogger(Candidacy.class);

  private final Leadership leadership;
  private final Actor actor;
  private final Runnable lead;
  private final Consumer<String> fatal;

  /**
   * @param lead what the master does once, when first elected
   * @param fatal how the master stops after losing its leadership, given the reason (already logged)
   */
  public Candidacy(Leadership leadership, Actor actor, Runnable lead, Consumer<String> fatal) {
    this.leadership = Objects.requireNonNull(leadership, "leadership");
    this.actor = Objects.requireNonNull(actor, "actor");
    this.lead = Objects.requireNonNull(lead, "lead");
    this.fatal = Objects.requireNonNull(fatal, "fatal");
  }

  public MasterInfo self() {
    return leadership.self();
  }

  public Actor actor() {
    return actor;
  }

  /** The contender leads (first time, or again after a suspended connection came back). */
  public void elected() {
    actor.assertInActorThread();
    switch (leadership.state()) {
      case FOLLOWING:
        leadership.lead(actor.clock().currentTimeSeconds());
        LOG.info("Elected as the leading master! Master {} at {}", id(), self().getPid());
        lead.run();
        break;
      case SUSPENDED:
        leadership.lead(actor.clock().currentTimeSeconds());
        LOG.info("Re-elected as the leading master: master {} acts as the leader again", id());
        break;
      default:
        LOG.debug("Master {} heard it was elected while {}", id(), leadership.state());
    }
  }

  /** The leader's ZooKeeper connection is suspended: stop acting until elected again. */
  public void suspended() {
    actor.assertInActorThread();
    if (leadership.state() == Leadership.State.LEADING) {
      leadership.suspend();
      LOG.warn("Master {} stops acting as the leader until its ZooKeeper connection comes back", id());
    }
  }

  /**
   * The candidacy is over ({@code reason}). A master that was elected stops through the fatal hook and this
   * returns false; a follower returns true: it should contend again.
   */
  public boolean lost(String reason) {
    actor.assertInActorThread();
    switch (leadership.state()) {
      case LEADING:
      case SUSPENDED:
        leadership.lose();
        LOG.error("Lost candidacy as a leader... committing suicide! Master {}: {}", id(), reason);
        fatal.accept("Lost candidacy as a leader: " + reason);
        return false;
      case FOLLOWING:
        LOG.info("Lost candidacy as a follower... Contend again. Master {}: {}", id(), reason);
        return true;
      default:
        return false;
    }
  }

  /** The detector saw {@code leader} lead (possibly this master), or no leader. */
  public void detected(Optional<MasterInfo> leader) {
    actor.assertInActorThread();
    leadership.detected(leader);
    if (leader.isEmpty()) {
      LOG.info("Master {} sees no elected master", id());
    } else if (!leader.get().getId().equals(id())) {
      LOG.info("Master {}: the newly elected leader is {} with id {}", id(), leader.get().getPid(),
          leader.get().getId());
    }
  }

  private String id() {
    return self().getId();
  }
}
