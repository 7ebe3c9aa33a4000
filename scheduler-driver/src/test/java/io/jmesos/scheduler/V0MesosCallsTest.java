package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jmesos.actor.ManualClock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Request;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Mesos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.apache.mesos.v1.scheduler.TestLibraries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code V0Mesos} translating each v1 call into the v0 driver's method (as Mesos' {@code V0ToV1Adapter::send}),
 * and each driver callback into its v1 event.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class V0MesosCallsTest {
  private static final Call.Builder BASE = Call.newBuilder().setFrameworkId(V1MesosTest.FRAMEWORK);

  private final RecordingV1Scheduler scheduler = new RecordingV1Scheduler();
  private FakeMaster master;
  private Mesos mesos;

  @BeforeEach
  void subscribed() throws InterruptedException {
    master = new FakeMaster();
    mesos = TestLibraries.v0(scheduler, scheduler.framework, master.url(), null,
        DriverOptions.defaults().withClock(new ManualClock()));
    scheduler.awaitEvent(Event.Type.HEARTBEAT);
  }

  @AfterEach
  void tearDown() {
    TestLibraries.close(mesos);
    master.close();
  }

  private static OfferID offer(String id) {
    return OfferID.newBuilder().setValue(id).build();
  }

  @Test
  void eachCallBecomesTheDriversCallInOrder() {
    TaskID task = TaskID.newBuilder().setValue("t1").build();
    mesos.send(BASE.clone().setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
        .addOfferIds(offer("o1")).addOfferIds(offer("o2")).setFilters(Filters.newBuilder().setRefuseSeconds(7)))
        .build());
    mesos.send(BASE.clone().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder().setTaskId(task)).build());
    mesos.send(BASE.clone().setType(Call.Type.REVIVE).build());
    mesos.send(BASE.clone().setType(Call.Type.SUPPRESS).build());
    mesos.send(BASE.clone().setType(Call.Type.UPDATE_FRAMEWORK).setUpdateFramework(Call.UpdateFramework
        .newBuilder().setFrameworkInfo(FrameworkInfo.newBuilder(scheduler.framework)
            .setId(V1MesosTest.FRAMEWORK))).build()); // no driver method: dropped
    mesos.send(BASE.clone().setType(Call.Type.KILL).build()); // invalid: dropped
    mesos.send(BASE.clone().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
        .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(task))).build());
    mesos.send(BASE.clone().setType(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
        .setAgentId(V0MesosTest.agent()).setExecutorId(ExecutorID.newBuilder().setValue("e1"))
        .setData(ByteString.copyFrom(new byte[] {1, 0, 2}))).build());
    mesos.send(BASE.clone().setType(Call.Type.REQUEST).setRequest(Call.Request.newBuilder()
        .addRequests(Request.newBuilder().setAgentId(V0MesosTest.agent()))).build());

    master.await(Call.Type.REQUEST);
    assertThat(master.callTypes()).containsExactly(Call.Type.DECLINE, Call.Type.DECLINE, Call.Type.KILL,
        Call.Type.REVIVE, Call.Type.SUPPRESS, Call.Type.RECONCILE, Call.Type.MESSAGE, Call.Type.REQUEST);
    List<Call> declines = master.calls(Call.Type.DECLINE);
    assertThat(declines).extracting(c -> c.getDecline().getOfferIds(0).getValue()).containsExactly("o1", "o2");
    assertThat(declines.get(1).getDecline().getFilters().getRefuseSeconds()).isEqualTo(7.0);
    assertThat(master.await(Call.Type.KILL).getKill().getTaskId()).isEqualTo(task);
    assertThat(master.await(Call.Type.RECONCILE).getReconcile().getTasks(0).getTaskId()).isEqualTo(task);
    assertThat(master.await(Call.Type.MESSAGE).getMessage().getData().toByteArray()).containsExactly(1, 0, 2);
  }

  @Test
  void driverCallbacksBecomeEvents() {
    master.send(Event.newBuilder().setType(Event.Type.RESCIND)
        .setRescind(Event.Rescind.newBuilder().setOfferId(offer("o1"))).build());
    master.send(Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
        .setAgentId(V0MesosTest.agent()).setExecutorId(ExecutorID.newBuilder().setValue("e1"))
        .setData(ByteString.copyFromUtf8("hi"))).build());
    master.send(Event.newBuilder().setType(Event.Type.FAILURE)
        .setFailure(Event.Failure.newBuilder().setAgentId(V0MesosTest.agent())).build());
    master.send(Event.newBuilder().setType(Event.Type.FAILURE).setFailure(Event.Failure.newBuilder()
        .setAgentId(V0MesosTest.agent()).setExecutorId(ExecutorID.newBuilder().setValue("e1")).setStatus(3))
        .build());

    scheduler.awaitCount("received FAILURE", 2);
    assertThat(scheduler.withoutHeartbeats()).containsExactly("connected", "received SUBSCRIBED", "received RESCIND",
        "received MESSAGE", "received FAILURE", "received FAILURE");
    assertThat(scheduler.awaitEvent(Event.Type.RESCIND).getRescind().getOfferId().getValue()).isEqualTo("o1");
    Event.Message message = scheduler.awaitEvent(Event.Type.MESSAGE).getMessage();
    assertThat(message.getData().toStringUtf8()).isEqualTo("hi");
    assertThat(message.getExecutorId().getValue()).isEqualTo("e1");
    List<Event> failures = scheduler.events(Event.Type.FAILURE);
    assertThat(failures.get(0).getFailure().hasExecutorId()).isFalse();
    assertThat(failures.get(0).getFailure().getAgentId()).isEqualTo(V0MesosTest.agent());
    assertThat(failures.get(1).getFailure().getExecutorId().getValue()).isEqualTo("e1");
    assertThat(failures.get(1).getFailure().getStatus()).isEqualTo(3);
  }
}
