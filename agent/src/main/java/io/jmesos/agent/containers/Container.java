package io.jmesos.agent.containers;

import io.jmesos.agent.containers.cgroups.ContainerCgroups;
import io.jmesos.resources.Resources;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorInfo;

/**
 * One executor's container: its id, sandbox, the executor it runs, its resources, the user it runs as, its
 * cgroups (none under posix isolation) and, once launched, its process and any resource limitation it hit.
 *
 * <p>Owned by the agent's actor, except for what the containerizer's threads share with it: the cgroups are
 * set once before the launch and are immutable, and the limitation is recorded once, by whichever thread sees
 * it first.
 */
public final class Container {
  private final ContainerID id;
  private final Path sandbox;
  private final ExecutorInfo executorInfo;
  private Resources resources;
  private Launcher.LaunchedProcess process;
  private boolean destroying;
  private String user;
  private volatile ContainerCgroups cgroups;
  private final AtomicReference<Limitation> limitation = new AtomicReference<>();
  private Consumer<Resources> resourcesListener;
  private java.util.function.BiConsumer<Resources, Resources> volumesListener;

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
    Resources previous = this.resources;
    this.resources = Objects.requireNonNull(resources);
    boolean changed = previous.scalar("cpus") != resources.scalar("cpus")
        || previous.scalar("mem") != resources.scalar("mem");
    if (resourcesListener != null && changed) {
      resourcesListener.accept(resources);
    }
    if (volumesListener != null && !previous.persistentVolumes().equals(resources.persistentVolumes())) {
      volumesListener.accept(previous.persistentVolumes(), resources.persistentVolumes());
    }
  }

  /**
   * Called on the actor with the persistent volumes before and after, whenever a task brings or takes one: they
   * are linked into the sandbox (Mesos' posix filesystem isolator's {@code update}).
   */
  public void onVolumesChanged(java.util.function.BiConsumer<Resources, Resources> listener) {
    this.volumesListener = listener;
  }

  /** Called on the actor with the new resources whenever their cpus or mem change, to apply them. */
  public void onResourcesChanged(Consumer<Resources> listener) {
    this.resourcesListener = listener;
  }

  /** The user the executor runs as, or null for the agent's own user. */
  public String user() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  /** The container's cgroups, or null when it has none (posix isolation). */
  public ContainerCgroups cgroups() {
    return cgroups;
  }

  public void setCgroups(ContainerCgroups cgroups) {
    this.cgroups = cgroups;
  }

  /** The resource limitation the container hit, or null. */
  public Limitation limitation() {
    return limitation.get();
  }

  /** Records the container's limitation; false when one was recorded already. Thread-safe. */
  public boolean recordLimitation(Limitation hit) {
    return limitation.compareAndSet(null, Objects.requireNonNull(hit));
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
