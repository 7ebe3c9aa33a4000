package io.jmesos.master.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.actor.Actor;
import io.jmesos.actor.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.mesos.Protos.MasterInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the master does with election news, on its actor; and the bookkeeping the HTTP edge reads. */
@Timeout(30)
class CandidacyTest {
  private static final MasterInfo SELF = info("self", 5050);
  private static final MasterInfo OTHER = info("other", 5051);

  private final ManualClock clock = new ManualClock();
  private final Actor actor = new Actor("candidacy-test", clock);
  private final Leadership leadership = new Leadership(SELF);
  private final AtomicInteger leads = new AtomicInteger();
  private final List<String> fatal = new CopyOnWriteArrayList<>();
  private final Candidacy candidacy = new Candidacy(leadership, actor, leads::incrementAndGet, fatal::add);

  @AfterEach
  void stop() {
    actor.close();
  }

  @Test
  void aFollowerKnowsTheLeaderItsDetectorSaw() throws Exception {
    assertThat(leadership.state()).isEqualTo(Leadership.State.FOLLOWING);
    assertThat(leadership.leader()).isEmpty();

    onActor(() -> candidacy.detected(Optional.of(OTHER)));

    assertThat(leadership.acting()).isFalse();
    assertThat(leadership.leader()).contains(OTHER);
    assertThat(leadership.electedTime()).isEmpty();
    assertThat(leads).hasValue(0);
  }

  @Test
  void theFirstElectionLeadsOnceAndASuspensionStopsActingUntilReElected() throws Exception {
    clock.advance(Duration.ofSeconds(100));
    onActor(candidacy::elected);
    assertThat(leadership.acting()).isTrue();
    assertThat(leadership.leader()).contains(SELF);
    double elected = leadership.electedTime().orElseThrow();

    onActor(candidacy::suspended);
    assertThat(leadership.state()).isEqualTo(Leadership.State.SUSPENDED);
    assertThat(leadership.acting()).isFalse();
    onActor(() -> candidacy.detected(Optional.of(SELF)));
    assertThat(leadership.leader()).as("a suspended master cannot vouch for itself").isEmpty();

    clock.advance(Duration.ofSeconds(5));
    onActor(candidacy::elected);
    assertThat(leadership.acting()).isTrue();
    assertThat(leadership.electedTime().orElseThrow()).isEqualTo(elected + 5);
    assertThat(leads).as("lead() runs once").hasValue(1);
    assertThat(fatal).isEmpty();
  }

  @Test
  void aLeaderThatLosesItsCandidacyStopsThroughTheFatalHook() throws Exception {
    onActor(candidacy::elected);
    onActor(candidacy::suspended);

    boolean again = onActor(() -> candidacy.lost("The ZooKeeper session was lost"));

    assertThat(again).isFalse();
    assertThat(fatal).containsExactly("Lost candidacy as a leader: The ZooKeeper session was lost");
    assertThat(leadership.state()).isEqualTo(Leadership.State.LOST);
    assertThat(leadership.acting()).isFalse();
    onActor(candidacy::elected);
    assertThat(leadership.acting()).as("lost for good").isFalse();
  }

  @Test
  void aFollowerThatLosesItsCandidacyContendsAgain() throws Exception {
    boolean again = onActor(() -> candidacy.lost("Znode /mesos/json.info_0000000001 was deleted"));

    assertThat(again).isTrue();
    assertThat(fatal).isEmpty();
    assertThat(leadership.state()).isEqualTo(Leadership.State.FOLLOWING);
  }

  @Test
  void illegalTransitionsFailLoudly() {
    assertThatThrownBy(leadership::suspend).isInstanceOf(IllegalStateException.class)
        .hasMessage("Illegal leadership transition FOLLOWING -> SUSPENDED");
    assertThatThrownBy(leadership::lose).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> candidacy.elected()).as("off the actor").isInstanceOf(IllegalStateException.class);
  }

  private <T> T onActor(Supplier<T> work) throws Exception {
    return actor.call(work).get(10, TimeUnit.SECONDS);
  }

  private void onActor(Runnable work) throws Exception {
    actor.call(() -> {
      work.run();
      return null;
    }).get(10, TimeUnit.SECONDS);
  }

  private static MasterInfo info(String id, int port) {
    return MasterInfo.newBuilder().setId(id).setIp(0x0100007f).setPort(port).setPid("master@127.0.0.1:" + port)
        .setHostname("localhost").build();
  }
}
