package io.jmesos.agent.containers;

import io.jmesos.resources.Resources;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorInfo;

/**
 * One executor's container: its id, sandbox, the executor it runs, its resources and, once launched, its
 * process. Later isolators (cgroups) and checkpointing hang their per-container state here.
 *
 * <p>Not thread-safe: owned by the agent's actor.
 */
public final class Container {
  private final ContainerID id;
  private final Path sandbox;
  private final ExecutorInfo executorInfo;
  private Resources resources;
  private Launcher.LaunchedProcess process;
  private boolean destroying;

  public Container(ContainerID id, Path sandbox, ExecutorInfo executorInfo, Resources resources) {
    this.id = Objects.requireNonNull(id, "id");
    this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
    this.executorInfo = Objects.requireNonNull(executorInfo, "executorInfo");
    this.resources = Objects.requireNonNull(resources, "resources");
  }

  public ContainerID id() {
    return id;
  }

  public Path sandbox() {
    return sandbox;
  }

  public ExecutorInfo executorInfo() {
    return executorInfo;
  }

  public Resources resources() {
    return resources;
  }

  /** Tasks join and leave an executor; its container's resources follow. */
  public void setResources(Resources resources) {
    this.resources = Objects.requireNonNull(resources);
  }

  /** The launched process, or null before launch (or when launching failed). */
  public Launcher.LaunchedProcess process() {
    return process;
  }

  public void setProcess(Launcher.LaunchedProcess process) {
    this.process = Objects.requireNonNull(process);
  }

  /** The pid of the container's first process, or -1 before launch. */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  public boolean isDestroying() {
    return destroying;
  }

  public void markDestroying() {
    destroying = true;
  }

  @Override
  public String toString() {
    return "container " + id.getValue();
  }
}
