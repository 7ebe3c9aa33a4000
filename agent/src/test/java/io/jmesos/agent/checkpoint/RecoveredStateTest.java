package io.jmesos.agent.checkpoint;

import static io.jmesos.agent.checkpoint.Fixtures.CID;
import static io.jmesos.agent.checkpoint.Fixtures.EID;
import static io.jmesos.agent.checkpoint.Fixtures.FID;
import static io.jmesos.agent.checkpoint.Fixtures.SID;
import static io.jmesos.agent.checkpoint.Fixtures.TID;
import static io.jmesos.agent.checkpoint.Fixtures.ackRecord;
import static io.jmesos.agent.checkpoint.Fixtures.containerId;
import static io.jmesos.agent.checkpoint.Fixtures.executorId;
import static io.jmesos.agent.checkpoint.Fixtures.executorInfo;
import static io.jmesos.agent.checkpoint.Fixtures.frameworkId;
import static io.jmesos.agent.checkpoint.Fixtures.frameworkInfo;
import static io.jmesos.agent.checkpoint.Fixtures.slaveId;
import static io.jmesos.agent.checkpoint.Fixtures.slaveInfo;
import static io.jmesos.agent.checkpoint.Fixtures.task;
import static io.jmesos.agent.checkpoint.Fixtures.taskId;
import static io.jmesos.agent.checkpoint.Fixtures.update;
import static io.jmesos.agent.checkpoint.Fixtures.updateRecord;
import static io.jmesos.agent.checkpoint.Fixtures.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jmesos.internal.Messages.StatusUpdate;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** AgentCheckpoint's writers read back by RecoveredState.recover, and Mesos' errors vs. skips. */
class RecoveredStateTest {
  private static final Optional<String> BOOT = Optional.of("boot-1");

  @TempDir
  Path work;
  MetaPaths paths;
  AgentCheckpoint ckpt;
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final Logger recoveryLog = (Logger) LoggerFactory.getLogger(Recovery.class);

  @BeforeEach
  void setUp() {
    paths = new MetaPaths(work);
    ckpt = new AgentCheckpoint(paths);
    logs.start();
    recoveryLog.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    recoveryLog.detachAppender(logs);
  }

  private List<String> warnings() {
    return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private List<String> skipped() {
    return warnings().stream().filter(m -> m.contains("skipped")).toList();
  }

  private RecoveredState recover(boolean strict) throws CheckpointException {
    return RecoveredState.recover(paths, strict, BOOT);
  }

  /** An agent with one framework, executor, run and task, the task with a running update acknowledged. */
  private void agentWithOneTask(FrameworkID fid, TaskID... tids) throws Exception {
    ckpt.slave(slaveInfo(SID));
    ckpt.framework(SID, frameworkInfo(fid), "scheduler(1)@10.0.0.1:4000");
    ckpt.executor(SID, fid, executorInfo(EID), false);
    ckpt.run(SID, fid, EID, CID, true);
    ckpt.forkedPid(SID, fid, EID, CID, 4242);
    for (TaskID tid : tids) {
      ckpt.task(SID, fid, EID, CID, task(tid, fid, EID));
      try (UpdatesFile f = ckpt.updates(SID, fid, EID, CID, tid)) {
        f.append(updateRecord(update(tid, TaskState.TASK_RUNNING, uuid(tid.getValue()))));
        f.append(ackRecord(uuid(tid.getValue())));
      }
    }
  }

  private static void corrupt(Path file) throws Exception {
    // A complete frame whose 3 bytes are no protobuf message (an unterminated varint).
    Files.write(file, ByteBuffer.allocate(7).order(ByteOrder.nativeOrder()).putInt(3)
        .put(new byte[] {0x08, (byte) 0xff, (byte) 0xff}).array());
  }

  private static void truncate(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
  }

  @Test
  void aFreshWorkDirRecoversAnEmptyAgent() throws Exception {
    RecoveredState state = RecoveredState.recover(paths, true);

    assertThat(state.slave()).isEmpty();
    assertThat(state.bootId()).isEmpty();
    assertThat(state.errors()).isZero();
    assertThat(state.rebooted()).isFalse();
  }

  @Test
  void withoutTheLatestAgentLinkTheAgentIsFresh() throws Exception {
    ckpt.bootId("boot-1\n");
    Files.createDirectories(paths.slaveDir(SID));
    Checkpoints.writeMessage(paths.slaveInfo(SID), slaveInfo(SID));

    RecoveredState state = recover(true);

    assertThat(state.slave()).isEmpty();
    assertThat(state.bootId()).contains("boot-1");
    assertThat(state.rebooted()).isFalse();
  }

  @Test
  void everythingWrittenIsRecovered() throws Exception {
    ckpt.bootId("boot-1");
    ckpt.slave(slaveInfo(SID));
    ckpt.framework(SID, frameworkInfo(FID), "scheduler(1)@10.0.0.1:4000");
    ckpt.executor(SID, FID, executorInfo(EID), true);
    // An older run, completed, then the current one.
    ContainerID old = containerId("C-0");
    ckpt.run(SID, FID, EID, old, false);
    ckpt.forkedPid(SID, FID, EID, old, 1000);
    ckpt.sentinel(SID, FID, EID, old);
    ckpt.run(SID, FID, EID, CID, true);
    ckpt.forkedPid(SID, FID, EID, CID, 4242);
    ckpt.task(SID, FID, EID, CID, task(TID, FID, EID));
    StatusUpdate running = update(TID, TaskState.TASK_RUNNING, uuid("u1"));
    StatusUpdate finished = update(TID, TaskState.TASK_FINISHED, uuid("u2"));
    try (UpdatesFile f = ckpt.updates(SID, FID, EID, CID, TID)) {
      f.append(updateRecord(running));
      f.append(ackRecord(uuid("u1")));
      f.append(updateRecord(finished));
    }
    FrameworkID http = frameworkId("F-2");
    ckpt.framework(SID, frameworkInfo(http), "");

    RecoveredState state = recover(true);

    assertThat(state.bootId()).contains("boot-1");
    assertThat(state.rebooted()).isFalse();
    assertThat(state.errors()).isZero();
    SlaveCheckpoint slave = state.slave().orElseThrow();
    assertThat(slave.id()).isEqualTo(SID);
    assertThat(slave.info()).contains(slaveInfo(SID));
    assertThat(slave.frameworks()).containsOnlyKeys(FID, http);
    assertThat(slave.frameworks().get(http).pid()).contains(AgentCheckpoint.NO_PID);

    FrameworkCheckpoint framework = slave.frameworks().get(FID);
    assertThat(framework.info()).contains(frameworkInfo(FID));
    assertThat(framework.pid()).contains("scheduler(1)@10.0.0.1:4000");
    ExecutorCheckpoint executor = framework.executors().get(EID);
    assertThat(executor.info()).contains(executorInfo(EID));
    assertThat(executor.generatedForCommandTask()).isTrue();
    assertThat(executor.latest()).contains(CID);
    assertThat(executor.runs().keySet()).containsExactly(old, CID);

    RunCheckpoint previous = executor.runs().get(old);
    assertThat(previous.completed()).isTrue();
    assertThat(previous.forkedPid()).isEqualTo(OptionalLong.of(1000));
    assertThat(previous.http()).isFalse();
    assertThat(previous.tasks()).isEmpty();

    RunCheckpoint run = executor.runs().get(CID);
    assertThat(run.completed()).isFalse();
    assertThat(run.forkedPid()).isEqualTo(OptionalLong.of(4242));
    assertThat(run.http()).isTrue();
    assertThat(run.libprocessPid()).isEmpty();
    TaskCheckpoint task = run.tasks().get(TID);
    assertThat(task.info()).contains(task(TID, FID, EID));
    assertThat(task.updates()).containsExactly(running, finished);
    assertThat(task.acks()).containsExactly(uuid("u1"));
    assertThat(skipped()).isEmpty();
  }

  @Test
  void theLatestLinksPointAtTheDirectoriesAndTheLastAgentWins() throws Exception {
    agentWithOneTask(FID, TID);
    ckpt.slave(slaveInfo(slaveId("S-2")));
    ContainerID next = containerId("C-2");
    ckpt.run(SID, FID, EID, next, false);

    assertThat(Files.readSymbolicLink(paths.latestSlaveLink()))
        .isEqualTo(paths.slaveDir(slaveId("S-2")).toAbsolutePath());
    assertThat(Files.readSymbolicLink(paths.latestRunLink(SID, FID, EID)))
        .isEqualTo(paths.runDir(SID, FID, EID, next).toAbsolutePath());
    RecoveredState state = recover(true);
    assertThat(state.slave().orElseThrow().id()).isEqualTo(slaveId("S-2"));
    assertThat(state.slave().orElseThrow().frameworks()).isEmpty();
  }

  @Test
  void aRelativeLatestRunLinkAsWrittenByHandIsFollowedToo() throws Exception {
    agentWithOneTask(FID, TID);
    ContainerID other = containerId("C-9");
    Files.createDirectories(paths.runDir(SID, FID, EID, other));
    Files.delete(paths.latestRunLink(SID, FID, EID));
    Files.createSymbolicLink(paths.latestRunLink(SID, FID, EID), Path.of("C-9"));

    ExecutorCheckpoint executor = recover(true).slave().orElseThrow().frameworks().get(FID).executors().get(EID);
    assertThat(executor.latest()).contains(other);
    assertThat(executor.runs()).containsOnlyKeys(CID, other);
  }

  @Test
  void aCorruptFrameworkInfoFailsStrictRecoveryAndIsSkippedOtherwise() throws Exception {
    FrameworkID good = frameworkId("F-2");
    agentWithOneTask(FID, TID);
    ckpt.framework(SID, frameworkInfo(good), "scheduler(2)@10.0.0.2:4000");
    ckpt.executor(SID, good, executorInfo(EID), false);
    ckpt.run(SID, good, EID, CID, true);
    Path broken = paths.frameworkInfo(SID, FID);
    corrupt(broken);

    assertThatThrownBy(() -> recover(true))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(broken.toString())
        .hasMessageContaining("framework F-1")
        .satisfies(e -> assertThat(((CheckpointException) e).file()).isEqualTo(broken));

    logs.list.clear();
    RecoveredState state = recover(false);
    assertThat(state.errors()).isEqualTo(1);
    SlaveCheckpoint slave = state.slave().orElseThrow();
    FrameworkCheckpoint skipped = slave.frameworks().get(FID);
    assertThat(skipped.info()).isEmpty();
    assertThat(skipped.pid()).isEmpty();
    assertThat(skipped.executors()).isEmpty();
    FrameworkCheckpoint recovered = slave.frameworks().get(good);
    assertThat(recovered.info()).contains(frameworkInfo(good));
    assertThat(recovered.executors().get(EID).latest()).contains(CID);
    assertThat(skipped()).singleElement().asString().contains(broken.toString());
  }

  @Test
  void aTruncatedTaskInfoFailsStrictRecoveryAndIsSkippedOtherwise() throws Exception {
    TaskID other = taskId("T-2");
    agentWithOneTask(FID, TID, other);
    Path broken = paths.taskInfo(SID, FID, EID, CID, TID);
    truncate(broken);

    assertThatThrownBy(() -> recover(true))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(broken.toString())
        .hasMessageContaining("truncated");

    logs.list.clear();
    RecoveredState state = recover(false);
    assertThat(state.errors()).isEqualTo(1);
    RunCheckpoint run = state.slave().orElseThrow().frameworks().get(FID).executors().get(EID).runs().get(CID);
    assertThat(run.tasks().get(TID).info()).isEmpty();
    assertThat(run.tasks().get(TID).updates()).isEmpty();
    assertThat(run.tasks().get(other).info()).contains(task(other, FID, EID));
    assertThat(run.tasks().get(other).updates()).hasSize(1);
    assertThat(run.forkedPid()).isEqualTo(OptionalLong.of(4242));
    assertThat(skipped()).singleElement().asString().contains(broken.toString());
  }

  @Test
  void aCorruptUpdatesFileFailsStrictRecoveryAndKeepsTheUpdatesBeforeItOtherwise() throws Exception {
    agentWithOneTask(FID, TID);
    Path broken = paths.taskUpdates(SID, FID, EID, CID, TID);
    long good = Files.size(broken);
    byte[] garbage = ByteBuffer.allocate(7).order(ByteOrder.nativeOrder()).putInt(3)
        .put(new byte[] {0x08, (byte) 0xff, (byte) 0xff}).array();
    byte[] late = Checkpoints.frame(updateRecord(update(TID, TaskState.TASK_FAILED, uuid("late"))));
    Files.write(broken, garbage, StandardOpenOption.APPEND);
    Files.write(broken, late, StandardOpenOption.APPEND);

    assertThatThrownBy(() -> recover(true))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(broken.toString())
        .hasMessageContaining("task T-1");
    // As Mesos, the file is cut back to the records before the corrupt one, even when strict.
    assertThat(Files.size(broken)).isEqualTo(good);

    Files.write(broken, garbage, StandardOpenOption.APPEND);
    Files.write(broken, late, StandardOpenOption.APPEND);
    logs.list.clear();
    RecoveredState state = recover(false);
    assertThat(state.errors()).isEqualTo(1);
    TaskCheckpoint task =
        state.slave().orElseThrow().frameworks().get(FID).executors().get(EID).runs().get(CID).tasks().get(TID);
    assertThat(task.info()).isPresent();
    assertThat(task.updates()).extracting(u -> u.getStatus().getState()).containsExactly(TaskState.TASK_RUNNING);
    assertThat(task.acks()).containsExactly(uuid("T-1"));
    assertThat(skipped()).singleElement().asString().contains(broken.toString());
    // The rest of the tree is recovered, and the cut file recovers without error the next time.
    assertThat(state.slave().orElseThrow().frameworks().get(FID).executors().get(EID).runs().get(CID).forkedPid())
        .isEqualTo(OptionalLong.of(4242));
    assertThat(recover(true).errors()).isZero();
  }

  @Test
  void errorsAreCountedAcrossTheTreeOneWarningEach() throws Exception {
    agentWithOneTask(FID, TID);
    FrameworkID second = frameworkId("F-2");
    ckpt.framework(SID, frameworkInfo(second), "scheduler(2)@10.0.0.2:4000");
    ckpt.executor(SID, second, executorInfo(EID), false);
    ckpt.run(SID, second, EID, CID, false);
    ckpt.task(SID, second, EID, CID, task(TID, second, EID));
    corrupt(paths.frameworkInfo(SID, FID));
    truncate(paths.taskInfo(SID, second, EID, CID, TID));
    corrupt(paths.executorInfo(SID, second, EID));

    RecoveredState state = recover(false);

    assertThat(state.errors()).isEqualTo(3);
    assertThat(skipped()).hasSize(3);
    ExecutorCheckpoint executor = state.slave().orElseThrow().frameworks().get(second).executors().get(EID);
    assertThat(executor.info()).isEmpty();
    assertThat(executor.runs().get(CID).tasks().get(TID).info()).isEmpty();
  }

  @Test
  void whatTheAgentDidNotGetToWriteIsAbsentAndNoError() throws Exception {
    agentWithOneTask(FID, TID);
    // A framework directory without its info: the agent died right after creating it.
    Files.createDirectories(paths.frameworkDir(SID, frameworkId("F-new")));
    // A run that was never forked, and a task directory without its task.
    ContainerID unforked = containerId("C-new");
    ckpt.run(SID, FID, EID, unforked, false);
    Files.createDirectories(paths.taskDir(SID, FID, EID, unforked, taskId("T-new")));
    // A task without updates.
    ckpt.task(SID, FID, EID, CID, task(taskId("T-quiet"), FID, EID));
    // An executor without a latest run, and a temporary file left by a crash mid-write.
    ckpt.executor(SID, FID, executorInfo(executorId("E-new")), false);
    Files.writeString(paths.frameworksDir(SID).resolve(".framework.info.1a2b.tmp"), "partial");

    RecoveredState state = recover(true);

    assertThat(state.errors()).isZero();
    FrameworkCheckpoint fresh = state.slave().orElseThrow().frameworks().get(frameworkId("F-new"));
    assertThat(fresh.info()).isEmpty();
    assertThat(fresh.executors()).isEmpty();
    assertThat(state.slave().orElseThrow().frameworks()).containsOnlyKeys(FID, frameworkId("F-new"));
    FrameworkCheckpoint framework = state.slave().orElseThrow().frameworks().get(FID);
    RunCheckpoint run = framework.executors().get(EID).runs().get(unforked);
    assertThat(run.forkedPid()).isEmpty();
    assertThat(run.http()).isFalse();
    assertThat(run.tasks().get(taskId("T-new")).info()).isEmpty();
    TaskCheckpoint quiet = framework.executors().get(EID).runs().get(CID).tasks().get(taskId("T-quiet"));
    assertThat(quiet.info()).isPresent();
    assertThat(quiet.updates()).isEmpty();
    ExecutorCheckpoint unlaunched = framework.executors().get(executorId("E-new"));
    assertThat(unlaunched.latest()).isEmpty();
    assertThat(unlaunched.info()).isEmpty();
    assertThat(warnings()).anyMatch(w -> w.contains("Failed to find framework info file"));
  }

  @Test
  void withoutAFrameworkPidItsExecutorsAreNotRecovered() throws Exception {
    agentWithOneTask(FID, TID);
    Files.delete(paths.frameworkPid(SID, FID));

    FrameworkCheckpoint framework = recover(true).slave().orElseThrow().frameworks().get(FID);

    assertThat(framework.info()).isPresent();
    assertThat(framework.pid()).isEmpty();
    assertThat(framework.executors()).isEmpty();
  }

  @Test
  void anEmptySlaveInfoEndsRecoveryOfTheAgentWithoutError() throws Exception {
    agentWithOneTask(FID, TID);
    Files.write(paths.slaveInfo(SID), new byte[0]);

    RecoveredState state = recover(true);

    assertThat(state.slave().orElseThrow().info()).isEmpty();
    assertThat(state.slave().orElseThrow().frameworks()).isEmpty();
    assertThat(state.errors()).isZero();
  }

  @Test
  void afterARebootNoForkedPidIsRecoveredAndItsFileIsRemoved() throws Exception {
    ckpt.bootId("boot-0");
    agentWithOneTask(FID, TID);
    Path pid = paths.forkedPid(SID, FID, EID, CID);

    RecoveredState state = recover(true);

    assertThat(state.rebooted()).isTrue();
    assertThat(state.bootId()).contains("boot-0");
    RunCheckpoint run = state.slave().orElseThrow().frameworks().get(FID).executors().get(EID).runs().get(CID);
    assertThat(run.forkedPid()).isEmpty();
    assertThat(run.http()).isFalse();
    assertThat(run.tasks()).containsOnlyKeys(TID);
    assertThat(pid).doesNotExist();
  }

  @Test
  void aLibprocessExecutorIsNotHttp() throws Exception {
    agentWithOneTask(FID, TID);
    ckpt.libprocessPid(SID, FID, EID, CID, "executor(1)@10.0.0.3:5000");

    RunCheckpoint run =
        recover(true).slave().orElseThrow().frameworks().get(FID).executors().get(EID).runs().get(CID);

    assertThat(run.libprocessPid()).contains("executor(1)@10.0.0.3:5000");
    assertThat(run.http()).isFalse();
  }

  @Test
  void someErrorsEndRecoveryEvenWhenNotStrictAsInMesos() throws Exception {
    agentWithOneTask(FID, TID);
    Path pid = paths.forkedPid(SID, FID, EID, CID);
    Files.writeString(pid, "not-a-pid");
    assertThatThrownBy(() -> recover(false)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(pid.toString()).hasMessageContaining("not-a-pid");
    ckpt.forkedPid(SID, FID, EID, CID, 4242);

    Path marker = paths.generatedForCommandTask(SID, FID, EID);
    Files.writeString(marker, "yes");
    assertThatThrownBy(() -> recover(false)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(marker.toString());
    Files.delete(marker);

    Path agentDir = paths.slaveDir(SID);
    Files.move(agentDir, agentDir.resolveSibling("moved"));
    assertThatThrownBy(() -> recover(false)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(paths.latestSlaveLink().toString());
  }

  @Test
  void withoutTheMarkerMesosHeuristicTellsACommandExecutor() throws Exception {
    agentWithOneTask(FID, TID);
    ExecutorInfo command = executorInfo(EID).toBuilder().setName("Command Executor (Task: T-1) (Command: sh -c x)")
        .setCommand(CommandInfo.newBuilder().setValue("/usr/libexec/mesos/mesos-executor")).build();
    ckpt.executor(SID, FID, command, false);
    Files.delete(paths.generatedForCommandTask(SID, FID, EID));

    ExecutorCheckpoint executor = recover(true).slave().orElseThrow().frameworks().get(FID).executors().get(EID);
    assertThat(executor.generatedForCommandTask()).isTrue();

    ckpt.executor(SID, FID, command, false);
    executor = recover(true).slave().orElseThrow().frameworks().get(FID).executors().get(EID);
    assertThat(executor.generatedForCommandTask()).isFalse();
  }

  @Test
  void aDanglingLatestRunIsSkipped() throws Exception {
    agentWithOneTask(FID, TID);
    Checkpoints.symlink(paths.latestRunLink(SID, FID, EID), paths.runDir(SID, FID, EID, containerId("gone")));

    ExecutorCheckpoint executor = recover(true).slave().orElseThrow().frameworks().get(FID).executors().get(EID);

    assertThat(executor.latest()).isEmpty();
    assertThat(executor.runs()).containsOnlyKeys(CID);
    assertThat(executor.info()).isEmpty();
  }

  @Test
  void removedFrameworksAndExecutorsAreGone() throws Exception {
    agentWithOneTask(FID, TID);
    FrameworkID second = frameworkId("F-2");
    ckpt.framework(SID, frameworkInfo(second), "scheduler(2)@10.0.0.2:4000");
    ckpt.executor(SID, second, executorInfo(EID), false);
    ckpt.run(SID, second, EID, CID, true);

    ckpt.removeExecutor(SID, second, EID);
    ckpt.removeFramework(SID, FID);
    ckpt.removeFramework(SID, FID);

    assertThat(paths.frameworkDir(SID, FID)).doesNotExist();
    assertThat(paths.executorDir(SID, second, EID)).doesNotExist();
    SlaveCheckpoint slave = recover(true).slave().orElseThrow();
    assertThat(slave.frameworks()).containsOnlyKeys(second);
    assertThat(slave.frameworks().get(second).executors()).isEmpty();
  }

  @Test
  void removingTheLatestAgentLinkMakesAFreshAgent() throws Exception {
    agentWithOneTask(FID, TID);
    ckpt.removeLatestSlave();

    assertThat(recover(true).slave()).isEmpty();
    assertThat(paths.slaveInfo(SID)).exists();
  }

  @Test
  void recoveredRecordsAreUnmodifiable() throws Exception {
    agentWithOneTask(FID, TID);
    SlaveCheckpoint slave = recover(true).slave().orElseThrow();
    TaskCheckpoint task = slave.frameworks().get(FID).executors().get(EID).runs().get(CID).tasks().get(TID);

    assertThatThrownBy(() -> slave.frameworks().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> task.updates().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> task.acks().clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
