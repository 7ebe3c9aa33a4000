package io.jmesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import example.framework.V1PlainFramework;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.Credential;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.TestLibraries;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs framework code written against Mesos' v1 Java API only (no jmesos imports; the API surface of Mesos'
 * {@code V1TestFramework}) with each library, V0Mesos and V1Mesos, from its public constructors, to completion.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class V1PlainFrameworkTest {

  @ParameterizedTest(name = "V{0}Mesos")
  @ValueSource(ints = {0, 1})
  void aV1FrameworkWrittenForMesosRunsToCompletion(int version) throws Exception {
    Credential credential = Credential.newBuilder().setPrincipal("plain").setSecret("secret").build();
    try (FakeMaster master = new FakeMaster()) {
      V1PlainFramework framework = V1PlainFramework.start("http://" + master.url(), version, credential, 2);
      try {
        await().atMost(FakeMaster.WAIT)
            .until(() -> framework.events().contains("subscribed " + FakeMaster.FRAMEWORK_ID));
        FakeMaster.Recorded subscribe = master.awaitRecorded(Call.Type.SUBSCRIBE);
        assertThat(subscribe.call.getSubscribe().getFrameworkInfo().getName())
            .isEqualTo("V" + version + " plain framework (Java)");
        assertThat(subscribe.authorization).isEqualTo("Basic "
            + Base64.getEncoder().encodeToString("plain:secret".getBytes(StandardCharsets.UTF_8)));

        master.send(Fixtures.offers("o1"));
        Call accept = master.await(Call.Type.ACCEPT);
        assertThat(accept.getAccept().getOperations(0).getLaunch().getTaskInfosList())
            .extracting(t -> t.getTaskId().getValue()).containsExactly("task-0", "task-1");
        master.send(Fixtures.offers("o2"));
        master.await(Call.Type.DECLINE);

        master.send(Fixtures.update("task-0", TaskState.TASK_FINISHED, V0MesosTest.uuid()));
        master.send(Fixtures.update("task-1", TaskState.TASK_FINISHED, V0MesosTest.uuid()));
        framework.finished().get(30, TimeUnit.SECONDS);
        master.await(Call.Type.TEARDOWN);
        assertThat(master.callTypes()).containsExactly(Call.Type.ACCEPT, Call.Type.DECLINE, Call.Type.ACKNOWLEDGE,
            Call.Type.ACKNOWLEDGE, Call.Type.TEARDOWN);
        assertThat(framework.events()).containsExactly("connected", "subscribed " + FakeMaster.FRAMEWORK_ID,
            "launched 2 on o1", "declined o2", "task-0 TASK_FINISHED", "task-1 TASK_FINISHED");
      } finally {
        TestLibraries.close(framework.mesos());
      }
    }
  }
}
