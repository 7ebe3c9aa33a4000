package io.jmesos.agent.executors;

import io.jmesos.agent.containers.Container;
import io.jmesos.agent.containers.LaunchSpec;
import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.executor.CommandArgv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's nested containers (Mesos' {@code LAUNCH_NESTED_CONTAINER}, {@code WAIT_NESTED_CONTAINER},
 * {@code KILL_NESTED_CONTAINER}, {@code REMOVE_NESTED_CONTAINER} and their 1.11 names with a parent): containers
 * whose {@code ContainerID} has a parent, an executor's container or another nested container. Each runs its
 * {@code CommandInfo} ({@code /bin/sh -c} for a shell command) in the cgroups of its root executor container and
 * as its user (see {@link io.jmesos.agent.containers.Containerizer#launchNested}), in the sandbox
 * {@code <parent sandbox>/containers/<id>} with {@code stdout}, {@code stderr} and the command's URIs fetched
 * there. A nested container is known from its launch until it is removed or its root executor ends; once its
 * process exited, a wait answers its termination at once. When the root container ends, every nested container
 * under it is killed. The default executor launches its tasks through {@link #launch} as operators do.
 *
 * <p>Not thread-safe: every method runs on the agent's actor; sandboxes, fetches and forks run on the blocking
 * pool and re-enter the actor.
 */
public final class NestedContainers {
  private static final Logger LOG = LoggerFactory.getLogger(NestedContainers.class);
  /** The PATH of a nested container whose command sets none, as Mesos' containerizer gives one. */
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** How a launch went: launched now, or already launched (Mesos answers 200 and 202). */
  public enum Launched { LAUNCHED, ALREADY_LAUNCHED }

  /** A nested container's end, as WAIT_NESTED_CONTAINER reports it: the wait status, null when unknown. */
  public record Termination(Integer status) {}

  /** A launch that failed, with Mesos' message (answered 400). */
  public static final class LaunchFailure extends Exception {
    private static final long serialVersionUID = 1L;

    LaunchFailure(String message) {
      super(message);
    }
  }

  /** A nested container as GET_CONTAINERS lists it. */
  public record View(ContainerID id, ExecutorState root, long pid) {}

  private final ExecutorManager manager;
  private final AgentContext ctx;
  /** By {@link #key}, in launch order. */
  private final Map<String, Nested> containers = new LinkedHashMap<>();

  NestedContainers(ExecutorManager manager) {
    this.manager = manager;
    this.ctx = manager.ctx;
  }

  /**
   * Launches a nested container; completes on the actor, exceptionally with a {@link LaunchFailure} when its
   * parent does not exist or is being destroyed, or the sandbox, fetch or fork failed.
   */
  public CompletableFuture<Launched> launch(ContainerID id, CommandInfo command) {
    if (containers.containsKey(key(id))) {
      return CompletableFuture.completedFuture(Launched.ALREADY_LAUNCHED);
    }
    ExecutorState root = rootOf(id.getParent());
    if (root == null) {
      return failed("Parent container " + key(id.getParent()) + " does not exist");
    }
    if (root.container().isDestroying() || root.state() == ExecutorState.State.TERMINATED) {
      return failed("Parent container " + key(id.getParent()) + " is in 'DESTROYING' state");
    }
    Nested parent = containers.get(key(id.getParent()));
    if (parent != null && parent.termination.isDone()) {
      return failed("Parent container " + key(id.getParent()) + " does not exist");
    }
    Path parentSandbox = parent != null ? parent.sandbox : root.container().sandbox();
    Path sandbox = parentSandbox.resolve("containers").resolve(id.getValue());
    Nested nested = new Nested(id, root, sandbox);
    containers.put(key(id), nested);
    LaunchSpec spec = new LaunchSpec(CommandArgv.of(command, "/bin/sh"), environment(command, sandbox), sandbox,
        sandbox.resolve("stdout"), sandbox.resolve("stderr"));
    Container rootContainer = root.container();
    LOG.info("Launching nested container {} in the sandbox {}", key(id), sandbox);
    return CompletableFuture
        .supplyAsync(() -> {
          try {
            Files.createDirectories(sandbox);
            touch(spec.stdout());
            touch(spec.stderr());
            ctx.sandboxes.fetcher.fetch(id, command.getUrisList(), sandbox, spec.stderr());
            return ctx.containerizer.launchNested(rootContainer, spec);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, ctx.blocking)
        .handleAsync((process, error) -> launched(nested, process, error), ctx.actor)
        .thenCompose(f -> f);
  }

  private CompletableFuture<Launched> launched(Nested nested, LaunchedProcess process, Throwable error) {
    String id = key(nested.id);
    if (error != null) {
      Throwable cause = error;
      while ((cause instanceof CompletionException || cause instanceof UncheckedIOException)
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      LOG.warn("Failed to launch nested container {}: {}", id, cause.getMessage());
      containers.remove(id, nested);
      nested.termination.complete(new Termination(null));
      return failed(String.valueOf(cause.getMessage()));
    }
    nested.process = process;
    LOG.info("Launched nested container {} with pid {}", id, process.pid());
    if (nested.root.container().isDestroying() || nested.root.state() == ExecutorState.State.TERMINATED) {
      process.kill(Signal.KILL);
    }
    // Its exit comes once what it left in its session was killed too (the containerizer's SessionProcess).
    process.onExit()
        .whenCompleteAsync((status, e) -> {
          LOG.info("Nested container {} {}", id, EmbeddedCommandExecutor.describe(status));
          nested.termination.complete(new Termination(status));
        }, ctx.actor);
    return CompletableFuture.completedFuture(Launched.LAUNCHED);
  }

  /** The termination of a known nested container, once it ends; empty for an unknown one (404). */
  public Optional<CompletableFuture<Termination>> waitFor(ContainerID id) {
    Nested nested = containers.get(key(id));
    return nested == null ? Optional.empty() : Optional.of(nested.termination);
  }

  /**
   * Sends the signal to a nested container's processes (and those of the containers nested in it); false when
   * it is unknown or has ended already (404, Mesos' "cannot be found (or is already killed)").
   */
  public boolean kill(ContainerID id, Signal signal) {
    Nested nested = containers.get(key(id));
    if (nested == null || nested.termination.isDone()) {
      return false;
    }
    LOG.info("Sending SIG{} to nested container {}", signal, key(id));
    for (Nested n : List.copyOf(containers.values())) {
      if (n != nested && isUnder(n.id, id)) {
        signal(n, signal);
      }
    }
    signal(nested, signal);
    return true;
  }

  /**
   * Forgets an ended nested container and deletes its sandbox (on the blocking pool); completes with Mesos'
   * error (answered 500) when it is still running or its root container is unknown.
   */
  public CompletableFuture<Void> remove(ContainerID id) {
    Nested nested = containers.get(key(id));
    if (nested != null && !nested.termination.isDone()) {
      return CompletableFuture.failedFuture(new IllegalStateException("Nested container has not terminated yet"));
    }
    ExecutorState root = rootOf(id.getParent());
    if (root == null && nested == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("Unknown root container"));
    }
    if (nested != null) {
      containers.remove(key(id));
    }
    Path parentSandbox = nested != null ? nested.sandbox.getParent().getParent() : root.container().sandbox();
    Path sandbox = parentSandbox.resolve("containers").resolve(id.getValue());
    return CompletableFuture.runAsync(() -> deleteTree(sandbox), ctx.blocking);
  }

  /** The nested containers of live executors, for GET_CONTAINERS. */
  public List<View> views() {
    List<View> views = new ArrayList<>();
    for (Nested n : containers.values()) {
      if (!n.termination.isDone()) {
        views.add(new View(n.id, n.root, n.process == null ? 0 : n.process.pid()));
      }
    }
    return views;
  }

  /** Whether the id names a nested container the agent knows (running or ended, not removed). */
  boolean contains(ContainerID id) {
    return containers.containsKey(key(id));
  }

  /**
   * The root executor container ended (or is destroyed): every container nested in it is killed and forgotten;
   * waits still pending complete once each process is gone.
   */
  void rootEnded(ExecutorState root) {
    for (Nested n : List.copyOf(containers.values())) {
      if (n.root == root) {
        signal(n, Signal.KILL);
        containers.remove(key(n.id), n);
      }
    }
  }

  /** Kills every nested container now; used when the agent stops. */
  void killAll() {
    containers.values().forEach(n -> signal(n, Signal.KILL));
  }

  private void signal(Nested nested, Signal signal) {
    if (nested.process != null && !nested.termination.isDone()) {
      nested.process.kill(signal); // a SIGKILL reaches its whole session
    }
  }

  /** The live executor whose container is {@code parent} or the root of {@code parent}; else null. */
  private ExecutorState rootOf(ContainerID parent) {
    Nested nested = containers.get(key(parent));
    if (nested != null) {
      return nested.root;
    }
    if (parent.hasParent()) {
      return null;
    }
    for (FrameworkState fw : manager.frameworks()) {
      for (ExecutorState ex : fw.executors()) {
        if (ex.state() != ExecutorState.State.TERMINATED && ex.container().id().getValue().equals(parent.getValue())) {
          return ex;
        }
      }
    }
    return null;
  }

  /**
   * A nested container's environment, as Mesos' containerizer builds it: {@code MESOS_SANDBOX}, a default
   * {@code PATH}, then the command's variables (secrets are not supported and left out).
   */
  static Map<String, String> environment(CommandInfo command, Path sandbox) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", DEFAULT_PATH);
    env.put("MESOS_SANDBOX", sandbox.toString());
    for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
      if (v.getType() != Environment.Variable.Type.SECRET) {
        env.put(v.getName(), v.getValue());
      }
    }
    return env;
  }

  /** Mesos' string form of a container id: the ancestors' values first, joined by dots. */
  public static String key(ContainerID id) {
    return id.hasParent() ? key(id.getParent()) + "." + id.getValue() : id.getValue();
  }

  private static boolean isUnder(ContainerID id, ContainerID ancestor) {
    String k = key(id);
    return k.startsWith(key(ancestor) + ".");
  }

  private static <T> CompletableFuture<T> failed(String message) {
    return CompletableFuture.failedFuture(new LaunchFailure(message));
  }

  private static void touch(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to remove the sandbox directory: " + e.getMessage(), e);
    }
  }

  /** One nested container. */
  private static final class Nested {
    final ContainerID id;
    final ExecutorState root;
    final Path sandbox;
    final CompletableFuture<Termination> termination = new CompletableFuture<>();
    LaunchedProcess process;

    Nested(ContainerID id, ExecutorState root, Path sandbox) {
      this.id = id;
      this.root = root;
      this.sandbox = sandbox;
    }
  }
}
