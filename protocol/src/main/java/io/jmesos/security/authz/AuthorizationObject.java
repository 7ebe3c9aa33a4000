package io.jmesos.security.authz;

import java.util.Optional;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskInfo;

/**
 * The object of an authorization request, as Mesos' {@code authorization::Object}: a plain value (a role, a
 * path, a principal) or the protobufs an action looks into (a framework, a task, an executor, a resource). Which
 * of them an action reads is {@link LocalAuthorizer}'s business, as in Mesos' local authorizer. Immutable.
 */
public final class AuthorizationObject {
  private final String value;
  private final FrameworkInfo frameworkInfo;
  private final Task task;
  private final TaskInfo taskInfo;
  private final ExecutorInfo executorInfo;
  private final Resource resource;

  private AuthorizationObject(String value, FrameworkInfo frameworkInfo, Task task, TaskInfo taskInfo,
      ExecutorInfo executorInfo, Resource resource) {
    this.value = value;
    this.frameworkInfo = frameworkInfo;
    this.task = task;
    this.taskInfo = taskInfo;
    this.executorInfo = executorInfo;
    this.resource = resource;
  }

  /** A role, endpoint path, principal, ... */
  public static AuthorizationObject value(String value) {
    return new AuthorizationObject(value, null, null, null, null, null);
  }

  public static AuthorizationObject framework(FrameworkInfo framework) {
    return new AuthorizationObject(null, framework, null, null, null, null);
  }

  /** A task to launch, of {@code framework}. */
  public static AuthorizationObject taskInfo(TaskInfo task, FrameworkInfo framework) {
    return new AuthorizationObject(null, framework, null, task, null, null);
  }

  /** A known task, of {@code framework}. */
  public static AuthorizationObject task(Task task, FrameworkInfo framework) {
    return new AuthorizationObject(null, framework, task, null, null, null);
  }

  /** An executor (or its sandbox), of {@code framework}. */
  public static AuthorizationObject executor(ExecutorInfo executor, FrameworkInfo framework) {
    return new AuthorizationObject(null, framework, null, null, executor, null);
  }

  public static AuthorizationObject resource(Resource resource) {
    return new AuthorizationObject(null, null, null, null, null, resource);
  }

  public Optional<String> value() {
    return Optional.ofNullable(value);
  }

  public Optional<FrameworkInfo> frameworkInfo() {
    return Optional.ofNullable(frameworkInfo);
  }

  public Optional<Task> task() {
    return Optional.ofNullable(task);
  }

  public Optional<TaskInfo> taskInfo() {
    return Optional.ofNullable(taskInfo);
  }

  public Optional<ExecutorInfo> executorInfo() {
    return Optional.ofNullable(executorInfo);
  }

  public Optional<Resource> resource() {
    return Optional.ofNullable(resource);
  }
}
