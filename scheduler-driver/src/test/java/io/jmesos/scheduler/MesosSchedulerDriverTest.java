package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.jmesos.actor.ManualClock;
import io.jmesos.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MesosSchedulerDriverTest {
  private static final Duration WAIT = FakeMaster.WAIT;

  private final ManualClock clock = new ManualClock();
  private final RecordingScheduler scheduler = new RecordingScheduler();
  private FakeMaster master;
  private MesosSchedulerDriver driver;

  @BeforeEach
  void startMaster() throws InterruptedException {
    master = new FakeMaster();
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.stop(true);
    }
    master.close();
  }

  private MesosSchedulerDriver driver(FrameworkInfo framework, boolean implicitAcks, List<String> suppressed) {
    driver = new MesosSchedulerDriver(scheduler, framework, suppressed, master.url(), implicitAcks, null,
        DriverOptions.defaults().withClock(clock));
    return driver;
  }

  private MesosSchedulerDriver registered(boolean implicitAcks) {
    driver(Fixtures.framework(), implicitAcks, List.of());
    assertThat(driver.start()).isEqualTo(Status.DRIVER_RUNNING);
    awaitCallback("registered");
    return driver;
  }

  private void awaitCallback(String name) {
    await().atMost(WAIT).until(() -> scheduler.names().contains(name));
  }

  private void awaitCallbacks(String name, int n) {
    await().atMost(WAIT).until(() -> scheduler.count(name) >= n);
  }

  /** Advances the paused clock a step at a time until {@code condition} holds. */
  private void advanceUntil(Duration step, Callable<Boolean> condition) {
    await().atMost(WAIT).until(() -> {
      if (condition.call()) {
        return true;
      }
      clock.advance(step);
      return condition.call();
    });
  }

  @Test
  void subscribeCarriesTheFrameworkInfoAndRegisteredGetsTheFrameworkId() {
    driver(Fixtures.framework(), true, List.of("web"));
    assertThat(driver.start()).isEqualTo(Status.DRIVER_RUNNING);
    assertThat(driver.start()).isEqualTo(Status.DRIVER_RUNNING);

    FakeMaster.Recorded subscribe = master.awaitRecorded(Call.Type.SUBSCRIBE);
    assertThat(subscribe.contentType).isEqualTo("application/x-protobuf");
    Call call = subscribe.call;
    assertThat(call.hasFrameworkId()).isFalse();
    assertThat(call.getSubscribe().getFrameworkInfo().getUser()).isEqualTo("alice");
    assertThat(call.getSubscribe().getFrameworkInfo().getName()).isEqualTo("test-framework");
    assertThat(call.getSubscribe().getFrameworkInfo().getFailoverTimeout()).isEqualTo(3600.0);
    assertThat(call.getSubscribe().getFrameworkInfo().getRolesList()).containsExactly("web");
    assertThat(call.getSubscribe().getFrameworkInfo().getHostname()).isNotEmpty();
    assertThat(call.getSubscribe().getSuppressedRolesList()).containsExactly("web");

    awaitCallback("registered");
    FrameworkID id = scheduler.<FrameworkID>values("registered").get(0);
    assertThat(id.getValue()).isEqualTo(FakeMaster.FRAMEWORK_ID);
    assertThat(scheduler.names()).containsExactly("registered");
  }

  @Test
  void offersReachResourceOffersAndRescindsOfferRescinded() {
    registered(true);
    master.send(Fixtures.offers("o1", "o2"));
    awaitCallback("resourceOffers");
    List<Offer> offers = scheduler.<List<Offer>>values("resourceOffers").get(0);
    assertThat(offers).extracting(o -> o.getId().getValue()).containsExactly("o1", "o2");
    assertThat(offers.get(0).getSlaveId().getValue()).isEqualTo(Fixtures.AGENT);
    assertThat(offers.get(0).getResources(0).getScalar().getValue()).isEqualTo(2.0);

    master.send(Event.newBuilder().setType(Event.Type.RESCIND)
        .setRescind(Event.Rescind.newBuilder()
            .setOfferId(org.apache.mesos.v1.Protos.OfferID.newBuilder().setValue("o1"))).build());
    awaitCallback("offerRescinded");
    assertThat(scheduler.<OfferID>values("offerRescinded").get(0).getValue()).isEqualTo("o1");
  }

  @Test
  void launchTasksSendsAcceptWithLaunchAndFiltersOnTheStream() {
    registered(true);
    Filters filters = Filters.newBuilder().setRefuseSeconds(5).build();
    Status status = driver.launchTasks(List.of(OfferID.newBuilder().setValue("o1").build()),
        List.of(Fixtures.task("t1")), filters);
    assertThat(status).isEqualTo(Status.DRIVER_RUNNING);

    FakeMaster.Recorded accept = master.awaitRecorded(Call.Type.ACCEPT);
    assertThat(accept.streamId).isEqualTo(master.currentStreamId());
    Call call = accept.call;
    assertThat(call.getFrameworkId().getValue()).isEqualTo(FakeMaster.FRAMEWORK_ID);
    assertThat(call.getAccept().getOfferIdsList()).extracting(o -> o.getValue()).containsExactly("o1");
    assertThat(call.getAccept().getOperations(0).getType())
        .isEqualTo(org.apache.mesos.v1.Protos.Offer.Operation.Type.LAUNCH);
    assertThat(call.getAccept().getOperations(0).getLaunch().getTaskInfos(0).getTaskId().getValue())
        .isEqualTo("t1");
    assertThat(call.getAccept().getOperations(0).getLaunch().getTaskInfos(0).getAgentId().getValue())
        .isEqualTo(Fixtures.AGENT);
    assertThat(call.getAccept().getFilters().getRefuseSeconds()).isEqualTo(5.0);
  }

  @Test
  void statusUpdatesWithAUuidAreAcknowledgedImplicitlyAfterTheCallback() {
    registered(true);
    master.send(Fixtures.update("t0", org.apache.mesos.v1.Protos.TaskState.TASK_LOST, null));
    ByteString uuid = ByteString.copyFromUtf8("0123456789abcdef");
    master.send(Fixtures.update("t1", org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING, uuid));

    Call ack = master.await(Call.Type.ACKNOWLEDGE);
    assertThat(ack.getAcknowledge().getUuid()).isEqualTo(uuid);
    assertThat(ack.getAcknowledge().getTaskId().getValue()).isEqualTo("t1");
    assertThat(ack.getAcknowledge().getAgentId().getValue()).isEqualTo(Fixtures.AGENT);
    assertThat(ack.getFrameworkId().getValue()).isEqualTo(FakeMaster.FRAMEWORK_ID);
    List<TaskStatus> statuses = scheduler.values("statusUpdate");
    assertThat(statuses).extracting(TaskStatus::getState).containsExactly(TaskState.TASK_LOST, TaskState.TASK_RUNNING);
    assertThat(statuses.get(0).hasUuid()).isFalse();
    assertThat(master.calls(Call.Type.ACKNOWLEDGE)).hasSize(1);
  }

  @Test
  void explicitAcknowledgementsWaitForAcknowledgeStatusUpdate() {
    registered(false);
    ByteString uuid = ByteString.copyFromUtf8("uuid-1");
    master.send(Fixtures.update("t1", org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING, uuid));
    awaitCallback("statusUpdate");
    TaskStatus status = scheduler.<TaskStatus>values("statusUpdate").get(0);
    assertThat(status.getUuid()).isEqualTo(uuid);

    // Calls go out in order: had the driver acknowledged on its own, the ACK would precede this KILL.
    driver.killTask(TaskID.newBuilder().setValue("t9").build());
    master.await(Call.Type.KILL);
    assertThat(master.calls(Call.Type.ACKNOWLEDGE)).isEmpty();

    assertThat(driver.acknowledgeStatusUpdate(status)).isEqualTo(Status.DRIVER_RUNNING);
    Call ack = master.await(Call.Type.ACKNOWLEDGE);
    assertThat(ack.getAcknowledge().getUuid()).isEqualTo(uuid);
    assertThat(ack.getAcknowledge().getTaskId().getValue()).isEqualTo("t1");
  }

  @Test
  void acknowledgeStatusUpdateIsRefusedWithImplicitAcknowledgements() {
    registered(true);
    assertThatThrownBy(() -> driver.acknowledgeStatusUpdate(TaskStatus.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue("t1")).setState(TaskState.TASK_RUNNING).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Implicit acknowledgements are enabled");
  }

  @Test
  void driverMethodsProduceTheirCallsInOrder() {
    registered(true);
    SlaveID agent = SlaveID.newBuilder().setValue(Fixtures.AGENT).build();
    driver.killTask(TaskID.newBuilder().setValue("t1").build());
    driver.declineOffer(OfferID.newBuilder().setValue("o1").build(), Filters.newBuilder().setRefuseSeconds(30).build());
    driver.reviveOffers();
    driver.suppressOffers(List.of("web"));
    driver.reconcileTasks(List.of(TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1"))
        .setSlaveId(agent).setState(TaskState.TASK_RUNNING).build()));
    driver.sendFrameworkMessage(ExecutorID.newBuilder().setValue("e1").build(), agent, "hi".getBytes());
    driver.requestResources(List.of(Protos.Request.newBuilder().setSlaveId(agent).build()));

    master.await(Call.Type.REQUEST);
    assertThat(master.callTypes()).containsExactly(Call.Type.KILL, Call.Type.DECLINE, Call.Type.REVIVE,
        Call.Type.SUPPRESS, Call.Type.RECONCILE, Call.Type.MESSAGE, Call.Type.REQUEST);
    assertThat(master.await(Call.Type.KILL).getKill().getTaskId().getValue()).isEqualTo("t1");
    Call decline = master.await(Call.Type.DECLINE);
    assertThat(decline.getDecline().getOfferIds(0).getValue()).isEqualTo("o1");
    assertThat(decline.getDecline().getFilters().getRefuseSeconds()).isEqualTo(30.0);
    assertThat(master.await(Call.Type.REVIVE).getRevive().getRolesList()).isEmpty();
    assertThat(master.await(Call.Type.SUPPRESS).getSuppress().getRolesList()).containsExactly("web");
    Call reconcile = master.await(Call.Type.RECONCILE);
    assertThat(reconcile.getReconcile().getTasks(0).getTaskId().getValue()).isEqualTo("t1");
    assertThat(reconcile.getReconcile().getTasks(0).getAgentId().getValue()).isEqualTo(Fixtures.AGENT);
    Call message = master.await(Call.Type.MESSAGE);
    assertThat(message.getMessage().getExecutorId().getValue()).isEqualTo("e1");
    assertThat(message.getMessage().getData().toStringUtf8()).isEqualTo("hi");
    assertThat(master.await(Call.Type.REQUEST).getRequest().getRequests(0).getAgentId().getValue())
        .isEqualTo(Fixtures.AGENT);
    assertThat(master.recorded()).allMatch(r -> r.call.getType() == Call.Type.SUBSCRIBE
        || master.currentStreamId().equals(r.streamId));
  }

  @Test
  void messagesAndFailuresReachTheirCallbacks() {
    registered(true);
    org.apache.mesos.v1.Protos.AgentID agent = org.apache.mesos.v1.Protos.AgentID.newBuilder()
        .setValue(Fixtures.AGENT).build();
    org.apache.mesos.v1.Protos.ExecutorID executor = org.apache.mesos.v1.Protos.ExecutorID.newBuilder()
        .setValue("e1").build();
    master.send(Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
        .setAgentId(agent).setExecutorId(executor).setData(ByteString.copyFromUtf8("hello"))).build());
    master.send(Event.newBuilder().setType(Event.Type.FAILURE).setFailure(Event.Failure.newBuilder()
        .setAgentId(agent).setExecutorId(executor).setStatus(137)).build());
    master.send(Event.newBuilder().setType(Event.Type.FAILURE).setFailure(Event.Failure.newBuilder()
        .setAgentId(agent)).build());
    awaitCallback("slaveLost");
    assertThat(scheduler.names()).containsExactly("registered", "frameworkMessage", "executorLost", "slaveLost");
    assertThat(scheduler.<String>values("frameworkMessage")).containsExactly("hello");
    assertThat(scheduler.<Integer>values("executorLost")).containsExactly(137);
  }

  @Test
  void aDroppedStreamDisconnectsThenResubscribesWithTheFrameworkIdAndReregisters() {
    registered(true);
    master.dropStream();
    awaitCallback("disconnected");

    advanceUntil(Duration.ofSeconds(1), () -> master.subscriptions() == 2);
    Call resubscribe = master.await(Call.Type.SUBSCRIBE, 2);
    assertThat(resubscribe.getFrameworkId().getValue()).isEqualTo(FakeMaster.FRAMEWORK_ID);
    assertThat(resubscribe.getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo(FakeMaster.FRAMEWORK_ID);
    assertThat(resubscribe.getSubscribe().getFrameworkInfo().getFailoverTimeout()).isEqualTo(3600.0);

    awaitCallback("reregistered");
    assertThat(scheduler.names()).containsExactly("registered", "disconnected", "reregistered");

    // Calls after re-subscription carry the new stream id.
    driver.reviveOffers();
    assertThat(master.awaitRecorded(Call.Type.REVIVE).streamId).isEqualTo(master.currentStreamId());
  }

  @Test
  void missedHeartbeatsAreDetectedOnThePausedClock() {
    master.heartbeatSeconds(10);
    registered(true);

    // Any event resets the watchdog: 5 intervals of 10s are counted from the last one.
    clock.advance(Duration.ofSeconds(40));
    master.send(Fixtures.offers("o1"));
    awaitCallback("resourceOffers");
    clock.advance(Duration.ofSeconds(40));
    master.send(Fixtures.offers("o2"));
    awaitCallbacks("resourceOffers", 2);
    assertThat(scheduler.names()).doesNotContain("disconnected");

    clock.advance(Duration.ofSeconds(50));
    awaitCallback("disconnected");
    advanceUntil(Duration.ofSeconds(1), () -> scheduler.names().contains("reregistered"));
    assertThat(master.await(Call.Type.SUBSCRIBE, 2).getFrameworkId().getValue()).isEqualTo(FakeMaster.FRAMEWORK_ID);
  }

  @Test
  void aSchedulerWithAFrameworkIdFailsOverAndHearsRegistered() {
    FrameworkInfo framework = Fixtures.framework().toBuilder()
        .setId(FrameworkID.newBuilder().setValue("fw-old")).build();
    driver(framework, true, List.of()).start();
    Call subscribe = master.await(Call.Type.SUBSCRIBE);
    assertThat(subscribe.getFrameworkId().getValue()).isEqualTo("fw-old");
    awaitCallback("registered");
    assertThat(scheduler.<FrameworkID>values("registered").get(0).getValue()).isEqualTo("fw-old");
  }

  @Test
  void stopTearsTheFrameworkDown() {
    registered(true);
    assertThat(driver.stop()).isEqualTo(Status.DRIVER_STOPPED);
    assertThat(driver.join()).isEqualTo(Status.DRIVER_STOPPED);
    Call teardown = master.await(Call.Type.TEARDOWN);
    assertThat(teardown.getFrameworkId().getValue()).isEqualTo(FakeMaster.FRAMEWORK_ID);

    assertThat(driver.killTask(TaskID.newBuilder().setValue("t1").build())).isEqualTo(Status.DRIVER_STOPPED);
    assertThat(driver.start()).isEqualTo(Status.DRIVER_STOPPED);
  }

  @Test
  void stopForFailoverOnlyDisconnects() {
    registered(true);
    assertThat(driver.stop(true)).isEqualTo(Status.DRIVER_STOPPED);
    assertThat(driver.join()).isEqualTo(Status.DRIVER_STOPPED);
    await().atMost(WAIT).until(() -> master.closedStreams() >= 1);
    assertThat(master.calls(Call.Type.TEARDOWN)).isEmpty();
  }

  @Test
  void abortStopsCallbacksAndCalls() {
    registered(true);
    assertThat(driver.abort()).isEqualTo(Status.DRIVER_ABORTED);
    assertThat(driver.join()).isEqualTo(Status.DRIVER_ABORTED);
    assertThat(driver.abort()).isEqualTo(Status.DRIVER_ABORTED);
    assertThat(driver.killTask(TaskID.newBuilder().setValue("t1").build())).isEqualTo(Status.DRIVER_ABORTED);

    // The aborted driver asks for no more offers, and hears none.
    master.await(Call.Type.SUPPRESS);
    master.send(Fixtures.offers("o1"));
    master.dropStream();
    await().atMost(WAIT).until(() -> master.closedStreams() >= 1);
    clock.advance(Duration.ofMinutes(5));
    assertThat(scheduler.names()).containsExactly("registered");
    assertThat(master.subscriptions()).isEqualTo(1);
    assertThat(master.calls(Call.Type.KILL)).isEmpty();

    // Stopping an aborted driver reports that it was aborted.
    assertThat(driver.stop()).isEqualTo(Status.DRIVER_ABORTED);
    driver = null;
  }

  @Test
  void anErrorEventAbortsTheDriverBeforeTheCallback() {
    registered(true);
    master.send(Event.newBuilder().setType(Event.Type.ERROR)
        .setError(Event.Error.newBuilder().setMessage("Framework has been removed")).build());
    assertThat(driver.join()).isEqualTo(Status.DRIVER_ABORTED);
    awaitCallback("error");
    assertThat(scheduler.<String>values("error")).containsExactly("Framework has been removed");
  }

  @Test
  void aSubscribeRefusedWithBadRequestIsAnError() {
    master.answerSubscribe(HttpResponse.text(400, "Invalid FrameworkInfo"));
    driver(Fixtures.framework(), true, List.of()).start();
    assertThat(driver.join()).isEqualTo(Status.DRIVER_ABORTED);
    awaitCallback("error");
    assertThat(scheduler.<String>values("error").get(0)).contains("400").contains("Invalid FrameworkInfo");
  }

  @Test
  void anUnavailableMasterIsRetriedWithBackoff() {
    master.answerSubscribe(HttpResponse.text(503, "No leader"));
    driver(Fixtures.framework(), true, List.of()).start();
    master.await(Call.Type.SUBSCRIBE);
    master.answerSubscribe(null);
    advanceUntil(Duration.ofSeconds(1), () -> scheduler.names().contains("registered"));
    assertThat(master.calls(Call.Type.SUBSCRIBE)).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aCallRefusedByTheMasterIsAnError() {
    master.answer(Call.Type.KILL, 403);
    registered(true);
    driver.killTask(TaskID.newBuilder().setValue("t1").build());
    assertThat(driver.join()).isEqualTo(Status.DRIVER_ABORTED);
    awaitCallback("error");
    assertThat(scheduler.<String>values("error").get(0)).contains("403").contains("KILL");
  }

  @Test
  void aStreamThatDoesNotStartWithSubscribedIsGivenUpAndTheDriverSubscribesAgain() {
    master.autoSubscribed(false);
    driver(Fixtures.framework(), true, List.of()).start();
    await().atMost(WAIT).until(() -> master.subscriptions() == 1);
    master.autoSubscribed(true);

    // SUBSCRIBED was lost: the master's first heartbeat comes first.
    master.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());

    await().atMost(WAIT).until(() -> master.closedStreams() == 1);
    advanceUntil(Duration.ofMillis(100), () -> master.subscriptions() == 2);
    awaitCallback("registered");
    assertThat(scheduler.names()).containsExactly("registered");
  }

  @Test
  void launchingWhileDisconnectedAnswersTaskLost() {
    master.autoSubscribed(false);
    driver(Fixtures.framework(), true, List.of()).start();
    master.await(Call.Type.SUBSCRIBE);
    driver.launchTasks(List.of(OfferID.newBuilder().setValue("o1").build()), List.of(Fixtures.task("t1")));
    awaitCallback("statusUpdate");
    TaskStatus status = scheduler.<TaskStatus>values("statusUpdate").get(0);
    assertThat(status.getState()).isEqualTo(TaskState.TASK_LOST);
    assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_MASTER_DISCONNECTED);
    assertThat(status.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
    assertThat(master.calls(Call.Type.ACCEPT)).isEmpty();
  }

  @Test
  void callsOnADriverThatIsNotRunningReturnItsStatus() {
    driver(Fixtures.framework(), true, List.of());
    assertThat(driver.killTask(TaskID.newBuilder().setValue("t1").build())).isEqualTo(Status.DRIVER_NOT_STARTED);
    assertThat(driver.stop()).isEqualTo(Status.DRIVER_NOT_STARTED);
    assertThat(driver.abort()).isEqualTo(Status.DRIVER_NOT_STARTED);
    assertThat(driver.join()).isEqualTo(Status.DRIVER_NOT_STARTED);
    driver = null;
  }

  @Test
  void aMasterThatCannotBeDetectedIsReportedAsAnError() {
    // ZooKeeper URLs are detected (LeaderDetectionTest, io.jmesos.it.ha); one without a chroot path is refused.
    driver = new MesosSchedulerDriver(scheduler, Fixtures.framework(), "zk://localhost:2181/");
    assertThat(driver.run()).isEqualTo(Status.DRIVER_ABORTED);
    assertThat(scheduler.<String>values("error").get(0))
        .startsWith("Failed to create a master detector for 'zk://localhost:2181/'")
        .contains("Expecting a (chroot) path for ZooKeeper");
    driver = null;
  }

  @Test
  void callbacksRunOneAtATimeOnOneThread() {
    registered(true);
    scheduler.onOffers = offers -> driver.declineOffer(offers.get(0).getId());
    scheduler.onStatus = status -> driver.reviveOffers();
    for (int i = 0; i < 50; i++) {
      master.send(Fixtures.offers("o" + i));
      master.send(Fixtures.update("t" + i, org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING,
          ByteString.copyFromUtf8("u" + i)));
    }
    awaitCallbacks("statusUpdate", 50);
    master.await(Call.Type.ACKNOWLEDGE, 50);
    master.await(Call.Type.DECLINE, 50);
    assertThat(scheduler.maxActive.get()).isEqualTo(1);
    assertThat(scheduler.threads).hasSize(1);
    assertThat(scheduler.threads.iterator().next()).startsWith("scheduler-driver-");
  }

  @Test
  void aCallbackThatThrowsAbortsTheDriver() {
    registered(true);
    scheduler.onOffers = offers -> {
      throw new IllegalStateException("bug in the framework");
    };
    master.send(Fixtures.offers("o1"));
    assertThat(driver.join()).isEqualTo(Status.DRIVER_ABORTED);
  }
}
