package io.jmesos.it.fault;

import static io.jmesos.it.fault.Failovers.ended;
import static io.jmesos.it.fault.Failovers.executorTask;
import static io.jmesos.it.fault.Failovers.failingOver;
import static io.jmesos.it.fault.Failovers.framework;
import static io.jmesos.it.fault.Failovers.frameworkIds;
import static io.jmesos.it.fault.Failovers.operator;
import static io.jmesos.it.fault.Failovers.operatorTasks;
import static io.jmesos.it.fault.Failovers.processes;
import static io.jmesos.it.fault.Failovers.stayingExecutor;
import static io.jmesos.it.fault.Scenarios.placements;
import static io.jmesos.testing.Direction.TO_AGENT;
import static io.jmesos.testing.Direction.TO_MASTER;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.internal.Messages.ExitedExecutorMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.ShutdownFrameworkMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.internal.Messages.UpdateFrameworkMessage;
import io.jmesos.it.fault.Failovers.FailoverScheduler;
import io.jmesos.it.fault.Failovers.MarkedTask;
import io.jmesos.scheduler.DriverOptions;
import io.jmesos.testing.Dropping;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Label;
import org.apache.mesos.Protos.Labels;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mesos' {@code FaultToleranceTest} (and its v1 form, {@code HttpFaultToleranceTest}) for schedulers, on real
 * daemons and real {@link MesosSchedulerDriver}s: scheduler failover, failover timeouts, scheduler exit,
 * disconnected launches, reliable registration and an executor that exits while its framework is away.
 *
 * <p>The driver speaks the v1 HTTP API, so a scheduler "failover" is a second driver subscribing with the first
 * one's FrameworkID, and a "disconnection" is a broken subscription stream ({@link FaultCluster#cutStream}) or a
 * lost SUBSCRIBED event. The checks of the {@code Mesos-Stream-Id} header (a SUBSCRIBE carrying one, a call with
 * none or another framework's: 400) are the master's own tests ({@code BadInputTest}).
 */
@Timeout(60)
class FaultToleranceTest {
  /** Mesos' {@code slave::STATUS_UPDATE_RETRY_INTERVAL_MIN}. */
  private static final Duration STATUS_UPDATE_RETRY = Duration.ofSeconds(10);
  /** The longest first re-subscription backoff of a driver. */
  private static final Duration BACKOFF = DriverOptions.DEFAULT_REGISTRATION_BACKOFF_FACTOR;
  /** Mesos' default {@code Filters.refuse_seconds}, applied to what an accepted offer leaves unused. */
  private static final Duration REFUSE_SECONDS = Duration.ofSeconds(5);

  /**
   * FaultToleranceTest.SchedulerFailover: a second scheduler subscribes with the first one's FrameworkID. The
   * first hears {@code error("Framework failed over")} and its driver aborts (stop says DRIVER_ABORTED, join
   * DRIVER_STOPPED); the second hears {@code registered} with the same id and is offered what the framework's
   * task leaves free; the task keeps running, and the aborted driver's stop does not tear the framework down.
   */
  @Test
  void schedulerFailover() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      FailoverScheduler sched1 = new FailoverScheduler();
      MesosSchedulerDriver driver1 = cluster.driver(sched1, framework("failing", 60));
      driver1.start();
      FrameworkID id = sched1.registered().get(10, SECONDS);
      MarkedTask task = launch(driver1, sched1, "t1");
      sched1.awaitStatus(task.task.getTaskId(), TaskState.TASK_RUNNING);
      List<ProcessHandle> processes = task.processes();
      assertThat(processes).isNotEmpty();

      FailoverScheduler sched2 = new FailoverScheduler();
      MesosSchedulerDriver driver2 = cluster.driver(sched2, failingOver(framework("failing", 60), id, "failover"));
      driver2.start();

      assertThat(sched2.registered().get(10, SECONDS)).isEqualTo(id);
      assertThat(sched1.awaitError()).isEqualTo("Framework failed over");
      // What the launch left of the first offer was declined for Mesos' default 5 s (Filters.refuse_seconds).
      cluster.advance(REFUSE_SECONDS);
      List<Offer> offers = sched2.nextOffers();
      assertThat(offers).hasSize(1);
      assertThat(offers.get(0).getFrameworkId()).isEqualTo(id);
      assertThat(scalar(offers.get(0), "cpus")).isEqualTo(1.9, offset(1e-9));
      assertThat(sched2.registrations()).isEqualTo(1);
      assertThat(sched2.reregistrations()).isZero();
      assertThat(sched2.errors()).isEmpty();
      assertThat(sched1.errors()).containsExactly("Framework failed over");
      assertThat(sched1.callbacksAfterError()).isZero();
      JsonNode state = cluster.masterState();
      assertThat(frameworkIds(state, "frameworks")).containsExactly(id.getValue());
      JsonNode framework = Failovers.framework(state, "frameworks", id);
      assertThat(framework.path("name").asText()).isEqualTo("failover");
      assertThat(framework.path("active").asBoolean()).isTrue();
      assertThat(framework.path("connected").asBoolean()).isTrue();
      assertThat(placements(state, "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");
      assertThat(processes).allMatch(ProcessHandle::isAlive);

      assertThat(driver1.stop()).isEqualTo(Status.DRIVER_ABORTED);
      assertThat(driver1.join()).isEqualTo(Status.DRIVER_STOPPED);
      cluster.settle();
      assertThat(Failovers.framework(cluster.masterState(), "frameworks", id).path("active").asBoolean()).isTrue();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");

      assertThat(driver2.stop()).isEqualTo(Status.DRIVER_STOPPED);
      assertThat(driver2.join()).isEqualTo(Status.DRIVER_STOPPED);
    }
  }

  /**
   * FaultToleranceTest.SchedulerFailoverRetriedReregistration (MESOS-659): the failing-over scheduler's first
   * SUBSCRIBED is lost, so its driver subscribes again after its backoff. It is registered once and never hears
   * "Framework failed over"; only the first scheduler does, once.
   */
  @Test
  void schedulerFailoverRetriedReregistration() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      FailoverScheduler sched1 = new FailoverScheduler();
      MesosSchedulerDriver driver1 = cluster.driver(sched1, framework("first", 60));
      driver1.start();
      FrameworkID id = sched1.registered().get(10, SECONDS);

      FailoverScheduler sched2 = new FailoverScheduler();
      MesosSchedulerDriver driver2 = cluster.driver(sched2, failingOver(framework("first", 60), id, "retrying"));
      CompletableFuture<Event> lost = cluster.events(driver2).dropNext(Event.Type.SUBSCRIBED);
      driver2.start();
      assertThat(lost.get(10, SECONDS).getSubscribed().getFrameworkId().getValue()).isEqualTo(id.getValue());
      assertThat(sched1.awaitError()).isEqualTo("Framework failed over");
      cluster.settle();
      assertThat(sched2.registered()).isNotDone();

      cluster.advance(BACKOFF);

      assertThat(sched2.registered().get(10, SECONDS)).isEqualTo(id);
      cluster.settle();
      assertThat(sched2.registrations()).isEqualTo(1);
      assertThat(sched2.errors()).isEmpty();
      assertThat(sched1.errors()).containsExactly("Framework failed over");
      JsonNode state = cluster.masterState();
      assertThat(frameworkIds(state, "frameworks")).containsExactly(id.getValue());
      assertThat(Failovers.framework(state, "frameworks", id).path("active").asBoolean()).isTrue();
      assertThat(Failovers.framework(state, "frameworks", id).path("name").asText()).isEqualTo("retrying");
    }
  }

  /**
   * FaultToleranceTest.SchedulerFailoverStatusUpdate (and HttpFaultToleranceTest's): a status update sent while
   * the scheduler fails over (here the first one, lost on its way to the old scheduler, which never
   * acknowledges it) reaches the new scheduler when the agent retries it after 10 s; once acknowledged, the
   * agent sends the task's next update.
   */
  @Test
  void schedulerFailoverStatusUpdate() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      FailoverScheduler sched1 = new FailoverScheduler();
      MesosSchedulerDriver driver1 = cluster.driver(sched1, framework("updates-1", 60));
      driver1.start();
      FrameworkID id = sched1.registered().get(10, SECONDS);
      CompletableFuture<Event> dropped = cluster.events(driver1).dropNext(Event.Type.UPDATE);
      MarkedTask task = launch(driver1, sched1, "t1");
      Event update = dropped.get(10, SECONDS);
      assertThat(update.getUpdate().getStatus().getTaskId().getValue()).isEqualTo("t1");
      assertThat(update.getUpdate().getStatus().getState())
          .isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_STARTING);
      cluster.settle();

      FailoverScheduler sched2 = new FailoverScheduler();
      MesosSchedulerDriver driver2 = cluster.driver(sched2, failingOver(framework("updates-1", 60), id, "updates-2"));
      driver2.start();
      assertThat(sched2.registered().get(10, SECONDS)).isEqualTo(id);
      assertThat(sched1.awaitError()).isEqualTo("Framework failed over");
      cluster.settle();
      cluster.advance(STATUS_UPDATE_RETRY.minusSeconds(1));
      assertThat(sched2.statuses(task.task.getTaskId())).isEmpty();

      cluster.advance(Duration.ofSeconds(1));

      TaskStatus retried = sched2.awaitStatus(task.task.getTaskId(), TaskState.TASK_STARTING);
      assertThat(retried.getUuid()).isEqualTo(update.getUpdate().getStatus().getUuid());
      sched2.awaitStatus(task.task.getTaskId(), TaskState.TASK_RUNNING);
      assertThat(sched1.statuses(task.task.getTaskId())).isEmpty();
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");
    }
  }

  /**
   * HttpFaultToleranceTest.SchedulerSubscribeAfterFailoverTimeout (FaultToleranceTest.
   * SchedulerReregisterAfterFailoverTimeout): the scheduler goes away without tearing its framework down
   * ({@code stop(true)} closes its stream). The framework waits, inactive, exactly its failover_timeout; then it
   * is removed: its task is killed (TASK_KILLED, REASON_FRAMEWORK_REMOVED, in completed_frameworks) and its
   * process ends. A scheduler subscribing with its id afterwards is refused: {@code error("Framework has been
   * removed")}, never registered.
   */
  @Test
  void schedulerReregisterAfterFailoverTimeout() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      FailoverScheduler sched1 = new FailoverScheduler();
      FrameworkInfo info = framework("timing-out", 30);
      MesosSchedulerDriver driver1 = cluster.driver(sched1, info);
      driver1.start();
      FrameworkID id = sched1.registered().get(10, SECONDS);
      MarkedTask task = launch(driver1, sched1, "t1");
      sched1.awaitStatus(task.task.getTaskId(), TaskState.TASK_RUNNING);
      List<ProcessHandle> processes = task.processes();
      assertThat(processes).isNotEmpty();

      assertThat(driver1.stop(true)).isEqualTo(Status.DRIVER_STOPPED);
      cluster.settle();
      JsonNode framework = Failovers.framework(cluster.masterState(), "frameworks", id);
      assertThat(framework.path("active").asBoolean()).isFalse();
      assertThat(framework.path("connected").asBoolean()).isFalse();

      cluster.advance(Duration.ofSeconds(29));
      assertThat(frameworkIds(cluster.masterState(), "frameworks")).containsExactly(id.getValue());
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");
      assertThat(processes).allMatch(ProcessHandle::isAlive);

      cluster.advance(Duration.ofSeconds(1));

      assertRemovedWithItsTask(cluster, id, "t1");
      assertThat(ended(processes)).as("the task's processes end").isTrue();

      FailoverScheduler sched2 = new FailoverScheduler();
      MesosSchedulerDriver driver2 = cluster.driver(sched2, failingOver(info, id, "too-late"));
      driver2.start();
      assertThat(sched2.awaitError()).isEqualTo("Framework has been removed");
      assertThat(driver2.join()).isEqualTo(Status.DRIVER_ABORTED);
      assertThat(sched2.registrations()).isZero();
      cluster.settle();
      assertThat(frameworkIds(cluster.masterState(), "frameworks")).isEmpty();
      assertThat(cluster.agentState(0).path("frameworks")).isEmpty();
    }
  }

  /**
   * FaultToleranceTest.SchedulerReregisterAfterFailoverTimeout in its original form: the framework has Mesos'
   * default failover_timeout (0) and loses its connection while its driver lives on. The master removes it at
   * once; the driver, subscribing again after its backoff, hears {@code error("Framework has been removed")},
   * and so does a second scheduler that tries the id.
   */
  @Test
  void schedulerReregisterAfterFailoverTimeoutOfALiveDriver() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      FailoverScheduler sched1 = new FailoverScheduler();
      FrameworkInfo info = framework("disconnected-too-long").build();
      MesosSchedulerDriver driver1 = cluster.driver(sched1, info);
      driver1.start();
      FrameworkID id = sched1.registered().get(10, SECONDS);
      MarkedTask task = launch(driver1, sched1, "t1");
      sched1.awaitStatus(task.task.getTaskId(), TaskState.TASK_RUNNING);

      assertThat(cluster.cutStream(driver1)).isEqualTo(1);
      sched1.disconnected().get(10, SECONDS);
      cluster.settle();
      cluster.advance(BACKOFF);

      assertThat(sched1.awaitError()).isEqualTo("Framework has been removed");
      assertThat(driver1.join()).isEqualTo(Status.DRIVER_ABORTED);
      assertThat(sched1.reregistrations()).isZero();
      assertRemovedWithItsTask(cluster, id, "t1");

      FailoverScheduler sched2 = new FailoverScheduler();
      MesosSchedulerDriver driver2 = cluster.driver(sched2, failingOver(info, id, "also-too-late"));
      driver2.start();
      assertThat(sched2.awaitError()).isEqualTo("Framework has been removed");
      assertThat(sched2.registrations()).isZero();
    }
  }

  /**
   * FaultToleranceTest.SchedulerExit (and HttpFaultToleranceTest's): {@code driver.stop()} without failover tears
   * the framework down. The agent is told to shut the framework down and the task's process is killed; the
   * framework, with its task TASK_KILLED, is in the master's and the agent's completed frameworks.
   */
  @Test
  void schedulerExit() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      FailoverScheduler sched = new FailoverScheduler();
      MesosSchedulerDriver driver = cluster.driver(sched, framework("exiting").build());
      driver.start();
      FrameworkID id = sched.registered().get(10, SECONDS);
      MarkedTask task = launch(driver, sched, "t1");
      sched.awaitStatus(task.task.getTaskId(), TaskState.TASK_RUNNING);
      List<ProcessHandle> processes = task.processes();
      assertThat(processes).isNotEmpty();
      CompletableFuture<ShutdownFrameworkMessage> shutdown =
          cluster.messages(0).future(ShutdownFrameworkMessage.class, TO_AGENT);

      assertThat(driver.stop()).isEqualTo(Status.DRIVER_STOPPED);
      assertThat(driver.join()).isEqualTo(Status.DRIVER_STOPPED);

      assertThat(shutdown.get(10, SECONDS).getFrameworkId()).isEqualTo(id);
      assertThat(ended(processes)).as("the task's processes end").isTrue();
      cluster.settle();
      assertRemovedWithItsTask(cluster, id, "t1");
      assertThat(cluster.metric("master/tasks_killed")).isEqualTo(1.0);
      JsonNode agent = cluster.agentState(0);
      assertThat(agent.path("frameworks")).isEmpty();
      assertThat(frameworkIds(agent, "completed_frameworks")).containsExactly(id.getValue());
      assertThat(sched.statuses(task.task.getTaskId())).extracting(TaskStatus::getState)
          .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    }
  }

  /**
   * FaultToleranceTest.DisconnectedSchedulerLaunchLost: a scheduler whose driver is disconnected launches a
   * task on an offer it still holds. The driver answers at once with TASK_LOST (REASON_MASTER_DISCONNECTED,
   * SOURCE_MASTER) for a framework that is not partition-aware; nothing reaches the master or the agent.
   */
  @Test
  void disconnectedSchedulerLaunchLost() throws Exception {
    disconnectedSchedulerLaunch(false, TaskState.TASK_LOST);
  }

  /** FaultToleranceTest.DisconnectedSchedulerLaunchDropped: as above; a partition-aware one hears TASK_DROPPED. */
  @Test
  void disconnectedSchedulerLaunchDropped() throws Exception {
    disconnectedSchedulerLaunch(true, TaskState.TASK_DROPPED);
  }

  private static void disconnectedSchedulerLaunch(boolean partitionAware, TaskState expected) throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler sched = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(sched, Scenarios.framework("disconnected-launch", partitionAware));
      driver.start();
      Offer offer = sched.nextOffers().get(0);
      CompletableFuture<RunTaskMessage> run = cluster.messages().future(RunTaskMessage.class, TO_AGENT);

      assertThat(cluster.cutStream(driver)).isEqualTo(1);
      sched.disconnected().get(10, SECONDS);
      TaskInfo task = Scenarios.task(offer, "t1", "sleep 1000");
      driver.launchTasks(List.of(offer.getId()), List.of(task));

      TaskStatus status = sched.nextStatus();
      assertThat(status.getTaskId()).isEqualTo(task.getTaskId());
      assertThat(status.getState()).isEqualTo(expected);
      assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_MASTER_DISCONNECTED);
      assertThat(status.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      cluster.settle();
      assertThat(run).isNotDone();
      assertThat(placements(cluster.masterState(), "t1")).isEmpty();
      assertThat(cluster.metric("master/tasks_staging")).isZero();
    }
  }

  /**
   * FaultToleranceTest.FrameworkReliableRegistration: the first SUBSCRIBED event is lost. The driver notices
   * (the master's next event comes first) and subscribes again after its backoff; the scheduler is registered
   * exactly once, gets offers, and the master lists one active framework, the one the scheduler was given.
   * The subscription whose SUBSCRIBED was lost was a framework of its own, abandoned and removed.
   */
  @Test
  void frameworkReliableRegistration() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      FailoverScheduler sched = new FailoverScheduler();
      MesosSchedulerDriver driver = cluster.driver(sched, framework("reliable").build());
      CompletableFuture<Event> lost = cluster.events(driver).dropNext(Event.Type.SUBSCRIBED);
      driver.start();
      lost.get(10, SECONDS);
      cluster.settle();
      assertThat(sched.registered()).isNotDone();

      cluster.advance(BACKOFF);

      FrameworkID id = sched.registered().get(10, SECONDS);
      assertThat(sched.nextOffers()).isNotEmpty();
      cluster.settle();
      assertThat(sched.registrations()).isEqualTo(1);
      assertThat(sched.reregistrations()).isZero();
      assertThat(sched.errors()).isEmpty();
      JsonNode state = cluster.masterState();
      assertThat(frameworkIds(state, "frameworks")).containsExactly(id.getValue());
      assertThat(Failovers.framework(state, "frameworks", id).path("active").asBoolean()).isTrue();
      // Unlike Mesos' master, which recognises a retry by the driver's pid, a v1 master cannot tell the retry of
      // a new framework from a new framework: the abandoned first one is removed (failover_timeout 0).
      assertThat(frameworkIds(state, "completed_frameworks"))
          .containsExactly(lost.get().getSubscribed().getFrameworkId().getValue());
    }
  }

  /**
   * FaultToleranceTest.ReregisterFrameworkExitedExecutor (MESOS-420): while the framework is away, the
   * executor of its running task exits and the task's terminal update is lost, so the master hears of the
   * executor's exit (ExitedExecutorMessage) before the task ends. The framework then subscribes again: it is
   * reregistered, the master still lists the task (running) and no longer the executor, and the agent's
   * retried update finally tells the framework the task failed (REASON_EXECUTOR_TERMINATED).
   */
  @Test
  void reregisterFrameworkExitedExecutor() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      FailoverScheduler sched = new FailoverScheduler();
      MesosSchedulerDriver driver = cluster.driver(sched, framework("exited-executor", 60));
      driver.start();
      FrameworkID id = sched.registered().get(10, SECONDS);
      Offer offer = sched.nextOffers().get(0);
      String marker = "ft-executor-" + UUID.randomUUID();
      ExecutorInfo executor = stayingExecutor("staying", marker);
      TaskInfo task = executorTask(offer, "t1", executor);
      driver.launchTasks(List.of(offer.getId()), List.of(task));
      sched.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      cluster.settle();
      assertThat(operator(cluster, Call.Type.GET_EXECUTORS).getGetExecutors().getExecutorsList())
          .extracting(e -> e.getExecutorInfo().getExecutorId().getValue()).containsExactly("staying");
      List<ProcessHandle> executorProcesses = processes(marker);
      assertThat(executorProcesses).isNotEmpty();

      assertThat(cluster.cutStream(driver)).isEqualTo(1);
      sched.disconnected().get(10, SECONDS);
      cluster.settle();
      Dropping<StatusUpdateMessage> updates = cluster.messages().dropAll(StatusUpdateMessage.class, TO_MASTER);
      CompletableFuture<ExitedExecutorMessage> exited =
          cluster.messages().future(ExitedExecutorMessage.class, TO_MASTER);
      executorProcesses.forEach(ProcessHandle::destroyForcibly);

      assertThat(exited.get(10, SECONDS).getExecutorId()).isEqualTo(executor.getExecutorId());
      cluster.settle();
      assertThat(updates.dropped()).extracting(m -> m.getUpdate().getStatus().getState())
          .containsExactly(TaskState.TASK_FAILED);
      assertThat(operator(cluster, Call.Type.GET_EXECUTORS).getGetExecutors().getExecutorsList()).isEmpty();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");

      cluster.advance(BACKOFF);

      sched.reregistered().get(10, SECONDS);
      cluster.settle();
      assertThat(sched.reregistrations()).isEqualTo(1);
      assertThat(sched.errors()).isEmpty();
      JsonNode framework = Failovers.framework(cluster.masterState(), "frameworks", id);
      assertThat(framework.path("active").asBoolean()).isTrue();
      assertThat(framework.path("connected").asBoolean()).isTrue();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");

      updates.close();
      cluster.advance(STATUS_UPDATE_RETRY);

      TaskStatus failed = sched.awaitStatus(task.getTaskId(), TaskState.TASK_FAILED);
      assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
      assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.completed_tasks:TASK_FAILED");
      assertThat(cluster.metric("master/tasks_running")).isZero();
      assertThat(cluster.metric("master/tasks_failed")).isEqualTo(1.0);
    }
  }

  /**
   * FaultToleranceTest.ChangePrincipalOnReRegistrationFails (HttpFaultToleranceTest.FrameworkPrincipalChangeFails):
   * a scheduler that subscribes with the framework's id but another principal is refused with {@code
   * error("Changing framework's principal is not allowed.")}; the framework stays with its first scheduler.
   */
  @Test
  void changePrincipalOnReRegistrationFails() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      FailoverScheduler sched1 = new FailoverScheduler();
      FrameworkInfo info = framework("principal").setPrincipal("first").setFailoverTimeout(60).build();
      MesosSchedulerDriver driver1 = cluster.driver(sched1, info);
      driver1.start();
      FrameworkID id = sched1.registered().get(10, SECONDS);

      FailoverScheduler sched2 = new FailoverScheduler();
      MesosSchedulerDriver driver2 = cluster.driver(sched2,
          failingOver(info, id, "impostor").toBuilder().setPrincipal("second").build());
      driver2.start();

      assertThat(sched2.awaitError()).isEqualTo("Changing framework's principal is not allowed.");
      assertThat(driver2.join()).isEqualTo(Status.DRIVER_ABORTED);
      assertThat(sched2.registrations()).isZero();
      cluster.settle();
      assertThat(sched1.errors()).isEmpty();
      assertThat(sched1.disconnections()).isZero();
      JsonNode framework = Failovers.framework(cluster.masterState(), "frameworks", id);
      assertThat(framework.path("principal").asText()).isEqualTo("first");
      assertThat(framework.path("name").asText()).isEqualTo("principal");
      assertThat(framework.path("active").asBoolean()).isTrue();
      assertThat(framework.path("connected").asBoolean()).isTrue();
    }
  }

  /**
   * FaultToleranceTest.UpdateFrameworkInfoOnSchedulerFailover: the FrameworkInfo a failing-over scheduler brings
   * (name, capabilities, webui_url, failover_timeout, hostname, labels) replaces the framework's, as /state
   * shows.
   */
  @Test
  void updateFrameworkInfoOnSchedulerFailover() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      FailoverScheduler sched1 = new FailoverScheduler();
      FrameworkInfo info1 = framework("Framework 1").setFailoverTimeout(1000).setLabels(label("foo", "bar")).build();
      MesosSchedulerDriver driver1 = cluster.driver(sched1, info1);
      driver1.start();
      FrameworkID id = sched1.registered().get(10, SECONDS);

      FrameworkInfo info2 = info1.toBuilder()
          .setId(id)
          .addCapabilities(FrameworkInfo.Capability.newBuilder()
              .setType(FrameworkInfo.Capability.Type.REVOCABLE_RESOURCES))
          .setName("Framework 2")
          .setWebuiUrl("http://localhost:8080/")
          .setFailoverTimeout(100)
          .setHostname("myHostname")
          .setLabels(label("baz", "qux"))
          .build();
      FailoverScheduler sched2 = new FailoverScheduler();
      MesosSchedulerDriver driver2 = cluster.driver(sched2, info2);
      driver2.start();
      assertThat(sched2.registered().get(10, SECONDS)).isEqualTo(id);
      assertThat(sched1.awaitError()).isEqualTo("Framework failed over");
      cluster.settle();

      JsonNode state = cluster.masterState();
      assertThat(frameworkIds(state, "frameworks")).containsExactly(id.getValue());
      JsonNode framework = Failovers.framework(state, "frameworks", id);
      assertThat(framework.path("name").asText()).isEqualTo("Framework 2");
      assertThat(framework.path("webui_url").asText()).isEqualTo("http://localhost:8080/");
      assertThat(framework.path("failover_timeout").asDouble()).isEqualTo(100.0);
      assertThat(framework.path("hostname").asText()).isEqualTo("myHostname");
      assertThat(framework.path("capabilities")).extracting(JsonNode::asText).containsExactly("REVOCABLE_RESOURCES");
      assertThat(framework.path("labels")).hasSize(1);
      assertThat(framework.path("labels").get(0).path("key").asText()).isEqualTo("baz");
      assertThat(framework.path("labels").get(0).path("value").asText()).isEqualTo("qux");
      assertThat(driver1.stop()).isEqualTo(Status.DRIVER_ABORTED);
      assertThat(driver2.stop()).isEqualTo(Status.DRIVER_STOPPED);
    }
  }

  /**
   * Mesos' {@code sendFrameworkUpdates}: after a failover every registered agent gets the framework's new
   * FrameworkInfo (UpdateFrameworkMessage), so an agent running its task reports the current info.
   */
  @Test
  void agentsLearnTheFrameworkInfoOfAFailedOverFramework() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler first = new RecordingScheduler();
      FrameworkInfo info1 = framework("Framework 1").setFailoverTimeout(1000).build();
      MesosSchedulerDriver driver1 = cluster.driver(first, info1);
      driver1.start();
      FrameworkID id = first.registered().get(10, SECONDS);
      org.apache.mesos.Protos.TaskInfo task = Scenarios.launchLong(driver1, first, "t1");
      first.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      CompletableFuture<UpdateFrameworkMessage> update =
          cluster.messages().future(UpdateFrameworkMessage.class, TO_AGENT);

      RecordingScheduler second = new RecordingScheduler();
      MesosSchedulerDriver driver2 = cluster.driver(second,
          info1.toBuilder().setId(id).setName("Framework 2").build());
      driver2.start();
      assertThat(second.registered().get(10, SECONDS)).isEqualTo(id);

      UpdateFrameworkMessage sent = update.get(10, SECONDS);
      assertThat(sent.getFrameworkId()).isEqualTo(id);
      assertThat(sent.getFrameworkInfo().getName()).isEqualTo("Framework 2");
      cluster.settle();
      JsonNode agentFramework = cluster.agentState(0).path("frameworks").get(0);
      assertThat(agentFramework.path("id").asText()).isEqualTo(id.getValue());
      assertThat(agentFramework.path("name").asText()).isEqualTo("Framework 2");
    }
  }

  // ---- Helpers.

  /** Launches a {@link MarkedTask} on the next offer. */
  private static MarkedTask launch(MesosSchedulerDriver driver, RecordingScheduler scheduler, String id)
      throws InterruptedException {
    Offer offer = scheduler.nextOffers().get(0);
    MarkedTask task = new MarkedTask(offer, id);
    driver.launchTasks(List.of(offer.getId()), List.of(task.task));
    return task;
  }

  /**
   * The framework is in completed_frameworks only, and its task there as TASK_KILLED whose last status (in the
   * operator API, which keeps reasons) is REASON_FRAMEWORK_REMOVED from the master.
   */
  private static void assertRemovedWithItsTask(FaultCluster cluster, FrameworkID id, String taskId)
      throws Exception {
    JsonNode state = cluster.masterState();
    assertThat(frameworkIds(state, "frameworks")).doesNotContain(id.getValue());
    assertThat(frameworkIds(state, "completed_frameworks")).containsExactly(id.getValue());
    assertThat(placements(state, taskId)).containsExactly("completed_frameworks.completed_tasks:TASK_KILLED");
    Map<String, List<org.apache.mesos.v1.Protos.Task>> tasks = operatorTasks(cluster, taskId);
    assertThat(tasks.get("tasks")).isEmpty();
    assertThat(tasks.get("completed_tasks")).hasSize(1);
    List<org.apache.mesos.v1.Protos.TaskStatus> statuses = tasks.get("completed_tasks").get(0).getStatusesList();
    assertThat(statuses).isNotEmpty();
    org.apache.mesos.v1.Protos.TaskStatus last = statuses.get(statuses.size() - 1);
    assertThat(last.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_KILLED);
    assertThat(last.getReason()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_FRAMEWORK_REMOVED);
    assertThat(last.getSource()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Source.SOURCE_MASTER);
  }

  private static Labels label(String key, String value) {
    return Labels.newBuilder().addLabels(Label.newBuilder().setKey(key).setValue(value)).build();
  }

  private static double scalar(Offer offer, String name) {
    return offer.getResourcesList().stream().filter(r -> r.getName().equals(name))
        .mapToDouble(r -> r.getScalar().getValue()).sum();
  }
}
