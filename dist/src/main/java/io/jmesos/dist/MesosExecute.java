package io.jmesos.dist;

import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import io.jmesos.flags.FlagsException;
import io.jmesos.protocol.TaskStates;
import io.jmesos.resources.Resources;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Credential;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;

/**
 * {@code mesos-execute}: a framework that runs one command as a task, prints every state transition with
 * its source, reason and message as Mesos' own tool does, and exits 0 only when the task finishes.
 * Built on {@link MesosSchedulerDriver} like any framework.
 */
public final class MesosExecute implements Scheduler {

  /** The command-line flags, named as Mesos' {@code mesos-execute} names them. */
  public static final class ExecuteFlags extends Flags {
    public final Flag<String> master = add(Flag.string("master").required()
        .help("Mesos master (host:port, or file:///path holding it)"));
    public final Flag<String> name = add(Flag.string("name").required().help("Name for the task"));
    public final Flag<String> command = add(Flag.string("command").required()
        .help("Shell command to launch (run with /bin/sh -c unless --no-shell)"));
    public final Flag<Boolean> shell = add(Flag.bool("shell").defaultValue(true)
        .help("Run the command through the shell"));
    public final Flag<String> resources = add(Flag.string("resources").defaultValue("cpus:1;mem:128")
        .help("Resources for the task, in Mesos' resource syntax"));
    public final Flag<String> frameworkName = add(Flag.string("framework_name")
        .defaultValue("mesos-execute instance").help("Name of the framework"));
    public final Flag<String> role = add(Flag.string("role").defaultValue("*")
        .help("Role to use when registering"));
    public final Flag<String> env = add(Flag.string("env")
        .help("Environment variables for the command, as VAR=value pairs separated by ';'"));
    public final Flag<Duration> killAfter = add(Flag.duration("kill_after")
        .help("Kill the task once it has been running this long"));
    public final Flag<Boolean> checkpoint = add(Flag.bool("checkpoint").defaultValue(false)
        .help("Enable checkpointing for the framework"));
    public final Flag<String> principal = add(Flag.string("principal")
        .help("The principal to use for framework authentication."));
    public final Flag<String> secret = add(Flag.string("secret")
        .help("The secret to use for framework authentication."));
  }

  private final ExecuteFlags flags;
  private final PrintStream out;
  private final Resources taskResources;
  private final CompletableFuture<TaskState> terminal = new CompletableFuture<>();
  private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mesos-execute-kill-after");
    t.setDaemon(true);
    return t;
  });
  private boolean launched;

  MesosExecute(ExecuteFlags flags, PrintStream out) {
    this.flags = flags;
    this.out = out;
    this.taskResources = Resources.parse(flags.get(flags.resources), "*");
  }

  @Override
  public void registered(SchedulerDriver driver, FrameworkID frameworkId, MasterInfo masterInfo) {
    out.println("Subscribed with ID " + frameworkId.getValue());
  }

  @Override
  public void reregistered(SchedulerDriver driver, MasterInfo masterInfo) {
    out.println("Re-subscribed with master " + masterInfo.getId());
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    for (Offer offer : offers) {
      Resources offered = Resources.of(offer.getResourcesList()).stripAllocationInfo();
      if (launched || !offered.contains(taskResources)) {
        driver.declineOffer(offer.getId(), Filters.newBuilder().setRefuseSeconds(launched ? 3600 : 1).build());
        continue;
      }
      String name = flags.get(flags.name);
      TaskInfo task = TaskInfo.newBuilder()
          .setName(name)
          .setTaskId(TaskID.newBuilder().setValue(name))
          .setSlaveId(offer.getSlaveId())
          .addAllResources(taskResources.toList())
          .setCommand(command())
          .build();
      driver.launchTasks(List.of(offer.getId()), List.of(task));
      launched = true;
      out.println("Submitted task '" + name + "' to agent '" + offer.getSlaveId().getValue() + "'");
    }
  }

  private CommandInfo command() {
    CommandInfo.Builder command = CommandInfo.newBuilder()
        .setValue(flags.get(flags.command))
        .setShell(flags.get(flags.shell));
    Optional<String> env = flags.find(flags.env);
    if (env.isPresent()) {
      Environment.Builder variables = Environment.newBuilder();
      for (String pair : env.get().split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          variables.addVariables(Environment.Variable.newBuilder()
              .setName(pair.substring(0, eq)).setValue(pair.substring(eq + 1)));
        }
      }
      command.setEnvironment(variables);
    }
    return command.build();
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, OfferID offerId) {}

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    out.println("Received status update " + status.getState() + " for task '" + status.getTaskId().getValue() + "'");
    if (status.hasMessage()) {
      out.println("  message: '" + status.getMessage() + "'");
    }
    if (status.hasSource()) {
      out.println("  source: " + status.getSource());
    }
    if (status.hasReason()) {
      out.println("  reason: " + status.getReason());
    }
    if (status.getState() == TaskState.TASK_RUNNING) {
      flags.find(flags.killAfter).ifPresent(after -> killer.schedule(() -> {
        out.println("Killing task '" + status.getTaskId().getValue() + "' after " + after);
        driver.killTask(status.getTaskId());
      }, after.toMillis(), TimeUnit.MILLISECONDS));
    }
    if (TaskStates.isTerminal(status.getState())) {
      terminal.complete(status.getState());
      driver.stop();
    }
  }

  @Override
  public void frameworkMessage(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, byte[] data) {}

  @Override
  public void disconnected(SchedulerDriver driver) {
    out.println("Disconnected from the master");
  }

  @Override
  public void slaveLost(SchedulerDriver driver, SlaveID slaveId) {
    out.println("Agent " + slaveId.getValue() + " lost");
  }

  @Override
  public void executorLost(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, int status) {}

  @Override
  public void error(SchedulerDriver driver, String message) {
    out.println("Error: " + message);
    terminal.complete(null);
    driver.abort();
  }

  /** Runs the tool; returns the process exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    ExecuteFlags flags = new ExecuteFlags();
    try {
      flags.load(args, env);
    } catch (FlagsException e) {
      err.println(e.getMessage());
      err.println();
      err.print(flags.usage("mesos-execute"));
      return 1;
    }
    if (flags.helpRequested()) {
      out.print(flags.usage("mesos-execute"));
      return 0;
    }
    MesosExecute scheduler;
    try {
      scheduler = new MesosExecute(flags, out);
    } catch (IllegalArgumentException e) {
      err.println("Invalid --resources: " + e.getMessage());
      return 1;
    }
    FrameworkInfo.Builder framework = FrameworkInfo.newBuilder()
        .setUser(System.getProperty("user.name", ""))
        .setName(flags.get(flags.frameworkName))
        .addRoles(flags.get(flags.role))
        .setCheckpoint(flags.get(flags.checkpoint))
        .addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
        .addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE))
        .addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE));
    // As Mesos' mesos-execute: --principal names the framework's principal, and with --secret the driver
    // authenticates as it (HTTP Basic on the scheduler API, see docs/security.md).
    Optional<String> principal = flags.find(flags.principal);
    principal.ifPresent(framework::setPrincipal);
    Optional<String> secret = flags.find(flags.secret);
    MesosSchedulerDriver driver = principal.isPresent() && secret.isPresent()
        ? new MesosSchedulerDriver(scheduler, framework.build(), flags.get(flags.master), Credential.newBuilder()
            .setPrincipal(principal.get()).setSecret(secret.get()).build())
        : new MesosSchedulerDriver(scheduler, framework.build(), flags.get(flags.master));
    Status status = driver.run();
    scheduler.killer.shutdownNow();
    TaskState state = scheduler.terminal.getNow(null);
    return status == Status.DRIVER_STOPPED && state == TaskState.TASK_FINISHED ? 0 : 1;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }
}
