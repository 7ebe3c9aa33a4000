package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import example.framework.PlainFramework;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs framework code written against the Mesos API only (no jmesos imports) with the real clock. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlainFrameworkTest {

  @Test
  void aFrameworkWrittenForMesosRunsToCompletion() throws Exception {
    try (FakeMaster master = new FakeMaster()) {
      PlainFramework framework = new PlainFramework();
      CompletableFuture<Status> result = CompletableFuture.supplyAsync(() -> PlainFramework.run(framework,
          "http://" + master.url()));

      Call subscribe = master.await(Call.Type.SUBSCRIBE);
      assertThat(subscribe.getSubscribe().getFrameworkInfo().getUser()).isEqualTo(System.getProperty("user.name"));
      await().atMost(FakeMaster.WAIT).until(() -> framework.events().contains("registered " + FakeMaster.FRAMEWORK_ID));

      master.send(Fixtures.offers("o1", "o2"));
      Call accept = master.await(Call.Type.ACCEPT);
      assertThat(accept.getAccept().getOfferIds(0).getValue()).isEqualTo("o1");
      assertThat(accept.getAccept().getFilters().getRefuseSeconds()).isEqualTo(1.0);
      assertThat(master.await(Call.Type.DECLINE).getDecline().getOfferIds(0).getValue()).isEqualTo("o2");

      master.send(Fixtures.update("hello-1", TaskState.TASK_FINISHED, ByteString.copyFromUtf8("u1")));
      assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(Status.DRIVER_STOPPED);
      // As in Mesos, stopping the driver inside statusUpdate means the update is not acknowledged.
      assertThat(master.callTypes()).containsExactly(Call.Type.ACCEPT, Call.Type.DECLINE, Call.Type.TEARDOWN);
      assertThat(framework.events()).containsExactly("registered " + FakeMaster.FRAMEWORK_ID, "launched on o1",
          "hello-1 TASK_FINISHED");
    }
  }
}
