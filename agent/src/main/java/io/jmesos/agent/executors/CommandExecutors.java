package io.jmesos.agent.executors;

import io.jmesos.executor.CommandArgv;
import io.jmesos.resources.Resources;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.TaskInfo;

/**
 * The executor the agent makes up for a command task (one with {@code TaskInfo.command} and no executor),
 * as Mesos' {@code getExecutorInfo}: its id is the task's id, it is named after the task's command, and it
 * gets Mesos' small resource allowance on top of the task. Also turns a CommandInfo into an argv. Pure
 * functions; thread-safe.
 */
public final class CommandExecutors {
  /** Mesos' DEFAULT_EXECUTOR_CPUS and DEFAULT_EXECUTOR_MEM, the command executor's own allowance. */
  static final String EXECUTOR_OVERHEAD = "cpus:0.1;mem:32";
  /** {@link #EXECUTOR_OVERHEAD} parsed once: every command task gets it. */
  private static final List<org.apache.mesos.Protos.Resource> OVERHEAD =
      List.copyOf(Resources.parse(EXECUTOR_OVERHEAD, "*").toList());

  private CommandExecutors() {}

  /** The main class of jmesos' built-in command executor. */
  public static final String MAIN_CLASS = "io.jmesos.executor.CommandExecutor";

  /**
   * The jars the command executor needs, by file-name prefix: itself, the protocol and their two libraries.
   * Starting it on these alone instead of the agent's whole class path skips scanning and loading the
   * daemon's libraries (Netty, Jackson, Logback) in every executor JVM.
   */
  private static final List<String> EXECUTOR_JARS =
      List.of("jmesos-executor-driver-", "jmesos-protocol-", "protobuf-java-", "slf4j-api-");

  /**
   * How this JVM starts the built-in command executor, tuned for a short-lived process that must answer fast:
   * a small heap and the serial collector, small thread stacks, C1 only with one compiler thread and a small
   * code cache (the whole JVM must fit with its task in the command executor's 32 MB plus the task's memory,
   * the first executor's class list included), class data sharing (the agent adds its AppCDS archive,
   * see {@link CommandExecutorArchive}), no perf-data file, vfork for the task's process (no {@code
   * jspawnhelper} exec in between), and slf4j's no-op provider named up front (the executor has no logging
   * backend; naming it skips the service-loader scan and its warning).
   */
  public static List<String> defaultCommand() {
    return List.of(
        System.getProperty("java.home") + "/bin/java",
        "-cp", executorClassPath(System.getProperty("java.class.path")),
        "-Xms4m", "-Xmx32m", "-Xss256k", "-XX:ReservedCodeCacheSize=8m", "-XX:CICompilerCount=1",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-XX:-UsePerfData", "-Dslf4j.provider=org.slf4j.helpers.NOP_SLF4JServiceProvider",
        "-Djdk.lang.Process.launchMechanism=VFORK",
        MAIN_CLASS);
  }

  /**
   * The command executor's class path: the {@link #EXECUTOR_JARS} found on {@code classPath} when every one
   * of them is there as a jar (a packaged installation), else the whole class path (running from classes
   * directories or a manifest-only jar, as in tests).
   */
  static String executorClassPath(String classPath) {
    List<String> picked = new ArrayList<>();
    for (String prefix : EXECUTOR_JARS) {
      for (String entry : classPath.split(java.io.File.pathSeparator)) {
        String name = java.nio.file.Paths.get(entry).getFileName().toString();
        if (name.startsWith(prefix) && name.endsWith(".jar") && !name.endsWith("-tests.jar")) {
          picked.add(entry);
          break;
        }
      }
    }
    return picked.size() == EXECUTOR_JARS.size() ? String.join(java.io.File.pathSeparator, picked) : classPath;
  }

  @SuppressWarnings("deprecation") // ExecutorInfo.source: Mesos still fills it for command executors.
  public static ExecutorInfo executorFor(TaskInfo task, FrameworkID frameworkId, List<String> command) {
    CommandInfo.Builder executorCommand = CommandInfo.newBuilder()
        .setShell(false)
        .setValue(command.get(0))
        .addAllArguments(command)
        // As Mesos' getExecutorInfo: the task's URIs are fetched into the command executor's sandbox.
        .addAllUris(task.getCommand().getUrisList());
    return ExecutorInfo.newBuilder()
        .setExecutorId(ExecutorID.newBuilder().setValue(task.getTaskId().getValue()))
        .setFrameworkId(frameworkId)
        .setName("Command Executor " + describe(task))
        .setSource(task.getTaskId().getValue())
        .setCommand(executorCommand)
        .addAllResources(OVERHEAD)
        .build();
  }

  /** The argv that runs a CommandInfo: {@code sh -c value} for shell commands, else value plus arguments. */
  public static List<String> argv(CommandInfo command) {
    return CommandArgv.of(command, "sh");
  }

  private static String describe(TaskInfo task) {
    StringBuilder name = new StringBuilder("(Task: ").append(task.getTaskId().getValue()).append(") ");
    CommandInfo command = task.getCommand();
    if (!command.hasShell() || command.getShell()) {
      String value = command.getValue();
      name.append("(Command: sh -c '")
          .append(value.length() > 15 ? value.substring(0, 12) + "..." : value)
          .append("')");
    } else {
      name.append("(Command: [").append(command.getValue());
      for (String arg : command.getArgumentsList()) {
        name.append(", ").append(arg);
      }
      name.append("])");
    }
    return name.toString();
  }
}
