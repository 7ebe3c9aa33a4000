package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.Credential;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.scheduler.Mesos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.apache.mesos.v1.scheduler.TestLibraries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code V1Mesos} against a fake master: connected, then SUBSCRIBE and the event stream, calls with the stream id,
 * what is dropped (calls before subscribing, invalid calls), credentials, and the master's refusals as Mesos'
 * library reports them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class V1MesosTest {
  static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue(FakeMaster.FRAMEWORK_ID).build();
  static final DriverOptions OPTIONS = DriverOptions.defaults().withConnectionDelayMax(Duration.ofMillis(20));

  private final RecordingV1Scheduler scheduler = new RecordingV1Scheduler();
  private FakeMaster master;
  private Mesos mesos;

  @BeforeEach
  void startMaster() throws InterruptedException {
    master = new FakeMaster();
  }

  @AfterEach
  void tearDown() {
    if (mesos != null) {
      TestLibraries.close(mesos);
    }
    master.close();
  }

  private Mesos start(Credential credential) {
    mesos = TestLibraries.v1(scheduler, "http://" + master.url(), credential, OPTIONS);
    return mesos;
  }

  private Mesos subscribed() {
    start(null);
    scheduler.awaitEvent(Event.Type.SUBSCRIBED);
    return mesos;
  }

  static Call decline(String offerId) {
    return Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(FRAMEWORK)
        .setDecline(Call.Decline.newBuilder().addOfferIds(OfferID.newBuilder().setValue(offerId))).build();
  }

  static Call revive() {
    return Call.newBuilder().setType(Call.Type.REVIVE).setFrameworkId(FRAMEWORK).build();
  }

  @Test
  void connectedThenSubscribedThenEventsInOrderOnOneThread() {
    start(null);
    Event subscribed = scheduler.awaitEvent(Event.Type.SUBSCRIBED);
    assertThat(subscribed.getSubscribed().getFrameworkId()).isEqualTo(FRAMEWORK);
    FakeMaster.Recorded subscribe = master.awaitRecorded(Call.Type.SUBSCRIBE);
    assertThat(subscribe.contentType).isEqualTo("application/x-protobuf");
    assertThat(subscribe.authorization).isNull();
    assertThat(subscribe.call.getSubscribe().getFrameworkInfo().getName()).isEqualTo("v1-test");

    master.send(Fixtures.offers("o1"));
    master.send(Fixtures.heartbeat());
    master.send(Fixtures.offers("o2"));
    scheduler.awaitCount("received OFFERS", 2);
    assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED", "received OFFERS",
        "received HEARTBEAT", "received OFFERS");
    assertThat(scheduler.events(Event.Type.OFFERS)).extracting(e -> e.getOffers().getOffers(0).getId().getValue())
        .containsExactly("o1", "o2");
    assertThat(scheduler.threads).hasSize(1).doesNotContain(Thread.currentThread().getName());
  }

  @Test
  void callsCarryTheStreamIdInOrder() {
    subscribed();
    master.send(Fixtures.offers("o1"));
    scheduler.awaitEvent(Event.Type.OFFERS);
    mesos.send(Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(FRAMEWORK)
        .setAccept(Call.Accept.newBuilder().addOfferIds(OfferID.newBuilder().setValue("o1"))
            .setFilters(Filters.newBuilder().setRefuseSeconds(1))).build());
    mesos.send(decline("o2"));
    mesos.send(revive());

    FakeMaster.Recorded accept = master.awaitRecorded(Call.Type.ACCEPT);
    assertThat(accept.streamId).isEqualTo(master.currentStreamId());
    assertThat(accept.contentType).isEqualTo("application/x-protobuf");
    assertThat(accept.call.getAccept().getOfferIds(0).getValue()).isEqualTo("o1");
    master.await(Call.Type.REVIVE);
    assertThat(master.callTypes()).containsExactly(Call.Type.ACCEPT, Call.Type.DECLINE, Call.Type.REVIVE);
  }

  @Test
  void callsBeforeSubscribingAndInvalidCallsAreDropped() {
    scheduler.onConnected = m -> {
      m.send(decline("too-early"));
      scheduler.subscribe(m);
      scheduler.subscribe(m); // a second SUBSCRIBE while subscribing is dropped too
    };
    subscribed();
    mesos.send(Call.newBuilder().setType(Call.Type.DECLINE).build()); // no framework id, no decline
    mesos.send(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(FRAMEWORK).build());
    mesos.send(decline("o1"));

    Call reached = master.await(Call.Type.DECLINE);
    assertThat(reached.getDecline().getOfferIds(0).getValue()).isEqualTo("o1");
    assertThat(master.callTypes()).containsExactly(Call.Type.DECLINE);
    assertThat(master.subscriptions()).isEqualTo(1);
  }

  @Test
  void aCredentialBecomesABasicAuthorizationHeaderOnEveryRequest() {
    start(Credential.newBuilder().setPrincipal("alice").setSecret("s3cret").build());
    scheduler.awaitEvent(Event.Type.SUBSCRIBED);
    mesos.send(revive());
    String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
    assertThat(master.awaitRecorded(Call.Type.REVIVE).authorization).isEqualTo(expected);
    assertThat(master.awaitRecorded(Call.Type.SUBSCRIBE).authorization).isEqualTo(expected);
  }

  @Test
  void aSubscribeRefusedWith503LeavesTheSchedulerConnectedToRetry() {
    master.answerSubscribe(HttpResponse.text(503, "Master is not the leader yet"));
    start(null);
    scheduler.awaitCount("connected", 1);
    master.await(Call.Type.SUBSCRIBE);
    master.answerSubscribe(null);
    // As a scheduler's reliable registration does: SUBSCRIBE again until SUBSCRIBED.
    await().atMost(FakeMaster.WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
      scheduler.subscribe(mesos);
      return scheduler.count("received SUBSCRIBED") > 0;
    });
    assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED");
  }

  @Test
  void aSubscribeRefusedOtherwiseIsAnErrorEvent() {
    master.answerSubscribe(HttpResponse.text(401, "Unauthenticated"));
    start(null);
    Event error = scheduler.awaitEvent(Event.Type.ERROR);
    assertThat(error.getError().getMessage())
        .isEqualTo("Received unexpected '401 Unauthorized' (Unauthenticated) for SUBSCRIBE");
  }

  @Test
  void anUnexpectedAnswerToACallIsAnErrorEventButNotLeadership503() {
    subscribed();
    master.answer(Call.Type.REVIVE, 503).answer(Call.Type.DECLINE, 400);
    mesos.send(revive());
    mesos.send(decline("o1"));
    Event error = scheduler.awaitEvent(Event.Type.ERROR);
    assertThat(error.getError().getMessage())
        .isEqualTo("Received unexpected '400 Bad Request' (Refused by test) for DECLINE");
    assertThat(scheduler.events(Event.Type.ERROR)).hasSize(1);
  }

  @Test
  void anEventThatDoesNotParseIsAnErrorEventAndTheStreamGoesOn() {
    subscribed();
    master.sendRecord(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    master.send(Fixtures.offers("o1"));
    scheduler.awaitEvent(Event.Type.OFFERS);
    assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED", "received ERROR",
        "received OFFERS");
    assertThat(scheduler.events(Event.Type.ERROR).get(0).getError().getMessage())
        .startsWith("Failed to de-serialize event");
  }

  @Test
  void teardownReturnsOnceTheMasterHasAnswered() {
    subscribed();
    mesos.send(Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(FRAMEWORK).build());
    assertThat(master.calls(Call.Type.TEARDOWN)).hasSize(1);
  }

  @Test
  void teardownBeforeSubscribingReturnsAtOnceAndIsNotSent() {
    scheduler.onConnected = m -> {
      m.send(Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(FRAMEWORK).build());
      scheduler.subscribe(m);
    };
    subscribed();
    mesos.send(revive());
    master.await(Call.Type.REVIVE);
    assertThat(master.callTypes()).containsExactly(Call.Type.REVIVE);
  }

  @Test
  void aCallbackThatThrowsStopsTheLibrary() {
    scheduler.onEvent = (m, e) -> {
      if (e.getType() == Event.Type.OFFERS) {
        throw new IllegalStateException("scheduler bug");
      }
    };
    subscribed();
    master.send(Fixtures.offers("o1"));
    await().atMost(FakeMaster.WAIT).until(() -> master.closedStreams() == 1);
    master.send(Fixtures.offers("o2"));
    assertThat(scheduler.callbacks).containsExactly("connected", "received SUBSCRIBED", "received OFFERS");
  }
}
