package org.apache.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The public surface matches the official mesos-1.11.0.jar (checked there with javap). */
@Timeout(10)
class MesosExecutorDriverTest {

  private static String signatures(Class<?> type) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()))
        .map(MesosExecutorDriverTest::signature)
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  private static String signature(Method m) {
    return m.getReturnType().getName() + " " + m.getName() + Arrays.stream(m.getParameterTypes())
        .map(Class::getName).collect(Collectors.joining(",", "(", ")"));
  }

  @Test
  void driverHasTheOfficialPublicMethodsAndConstructor() throws Exception {
    assertThat(signatures(MesosExecutorDriver.class)).isEqualTo(String.join("\n",
        "org.apache.mesos.Protos$Status abort()",
        "org.apache.mesos.Protos$Status join()",
        "org.apache.mesos.Protos$Status run()",
        "org.apache.mesos.Protos$Status sendFrameworkMessage([B)",
        "org.apache.mesos.Protos$Status sendStatusUpdate(org.apache.mesos.Protos$TaskStatus)",
        "org.apache.mesos.Protos$Status start()",
        "org.apache.mesos.Protos$Status stop()"));
    assertThat(MesosExecutorDriver.class.getConstructors()).hasSize(1);
    assertThat(MesosExecutorDriver.class.getConstructor(Executor.class)).isNotNull();
    assertThat(ExecutorDriver.class.isAssignableFrom(MesosExecutorDriver.class)).isTrue();
  }

  @Test
  void executorHasTheOfficialCallbacks() {
    assertThat(signatures(Executor.class)).isEqualTo(String.join("\n",
        "void disconnected(org.apache.mesos.ExecutorDriver)",
        "void error(org.apache.mesos.ExecutorDriver,java.lang.String)",
        "void frameworkMessage(org.apache.mesos.ExecutorDriver,[B)",
        "void killTask(org.apache.mesos.ExecutorDriver,org.apache.mesos.Protos$TaskID)",
        "void launchTask(org.apache.mesos.ExecutorDriver,org.apache.mesos.Protos$TaskInfo)",
        "void registered(org.apache.mesos.ExecutorDriver,org.apache.mesos.Protos$ExecutorInfo,"
            + "org.apache.mesos.Protos$FrameworkInfo,org.apache.mesos.Protos$SlaveInfo)",
        "void reregistered(org.apache.mesos.ExecutorDriver,org.apache.mesos.Protos$SlaveInfo)",
        "void shutdown(org.apache.mesos.ExecutorDriver)"));
  }

  @Test
  void startWithoutAnExecutorEnvironmentAborts() {
    assumeThat(System.getenv("MESOS_FRAMEWORK_ID")).isNull();
    MesosExecutorDriver driver = new MesosExecutorDriver(new Executor() {
      @Override
      public void registered(ExecutorDriver d, ExecutorInfo e, FrameworkInfo f, SlaveInfo s) {}

      @Override
      public void reregistered(ExecutorDriver d, SlaveInfo s) {}

      @Override
      public void disconnected(ExecutorDriver d) {}

      @Override
      public void launchTask(ExecutorDriver d, TaskInfo t) {}

      @Override
      public void killTask(ExecutorDriver d, TaskID t) {}

      @Override
      public void frameworkMessage(ExecutorDriver d, byte[] data) {}

      @Override
      public void shutdown(ExecutorDriver d) {}

      @Override
      public void error(ExecutorDriver d, String message) {}
    });

    assertThat(driver.run()).isEqualTo(Status.DRIVER_ABORTED);
    assertThat(driver.stop()).isEqualTo(Status.DRIVER_ABORTED);
  }
}
