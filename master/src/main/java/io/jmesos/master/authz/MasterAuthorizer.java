package io.jmesos.master.authz;

import io.jmesos.resources.Resources;
import io.jmesos.security.authz.Action;
import io.jmesos.security.authz.AuthorizationObject;
import io.jmesos.security.authz.Authorizer;
import io.jmesos.security.authz.Authorizer.ObjectApprover;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's authorization questions, as Mesos' master asks them ({@code master/authorization.cpp}), over the
 * authorizer of {@code --authorizers}/{@code --acls}: each method names the action and builds its object, and
 * the refusals carry Mesos' messages. Without {@code --acls} everything is allowed, as a Mesos master without an
 * authorizer. The authorizer is pure and fast, so the master asks on its actor; thread-safe.
 */
public final class MasterAuthorizer {
  private static final Logger LOG = LoggerFactory.getLogger(MasterAuthorizer.class);
  public static final MasterAuthorizer ALLOW_ALL = new MasterAuthorizer(Authorizer.ALLOW_ALL);

  private final Authorizer authorizer;

  public MasterAuthorizer(Authorizer authorizer) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
  }

  /** Whether an authorizer decides anything (false: no {@code --acls}, everything allowed). */
  public boolean enabled() {
    return authorizer != Authorizer.ALLOW_ALL;
  }

  /**
   * register_frameworks: the subscribing framework's principal must be allowed every role it asks for. Empty
   * when it is; else Mesos' error, sent to the scheduler as an ERROR event.
   */
  public Optional<String> subscribe(FrameworkInfo info) {
    if (authorizer.authorized(Action.REGISTER_FRAMEWORK, principal(info), AuthorizationObject.framework(info))) {
      return Optional.empty();
    }
    return Optional.of("Not authorized to register framework " + info.getId().getValue() + " with roles "
        + setString(roles(info)));
  }

  /**
   * run_tasks: the framework's principal must be allowed to run the task as its user (the task's command user,
   * else its executor's, else the framework's). Empty when it is; else Mesos' message for TASK_ERROR.
   */
  public Optional<String> launch(FrameworkInfo framework, TaskInfo task) {
    if (authorizer.authorized(Action.RUN_TASK, principal(framework), AuthorizationObject.taskInfo(task, framework))) {
      return Optional.empty();
    }
    return Optional.of("Principal '" + framework.getPrincipal() + "' no authorized to " + launchText(framework,
        task));
  }

  /** As {@link #launch} for a task of a group: Mesos' message for the whole group's TASK_ERROR. */
  public Optional<String> launchInGroup(FrameworkInfo framework, TaskInfo task) {
    return launch(framework, task).map(ignored -> "Task '" + task.getTaskId().getValue()
        + "' is not authorized to " + launchText(framework, task));
  }

  /** teardown_frameworks: may {@code principal} tear down {@code framework} (by its principal)? */
  public boolean teardown(Optional<String> principal, FrameworkInfo framework) {
    return check(Action.TEARDOWN_FRAMEWORK, principal, AuthorizationObject.framework(framework));
  }

  /** update_weights for {@code role}. */
  public boolean updateWeight(Optional<String> principal, String role) {
    return check(Action.UPDATE_WEIGHT, principal, AuthorizationObject.value(role));
  }

  /** update_quotas for {@code role} (Mesos' UPDATE_QUOTA_WITH_CONFIG, the action of UPDATE_QUOTA calls). */
  public boolean updateQuota(Optional<String> principal, String role) {
    return check(Action.UPDATE_QUOTA_WITH_CONFIG, principal, AuthorizationObject.value(role));
  }

  /** mark_agents_gone (the object is always any agent). */
  public boolean markAgentGone(Optional<String> principal) {
    return check(Action.MARK_AGENT_GONE, principal, null);
  }

  /**
   * The maintenance and drain actions (update_maintenance_schedules, get_maintenance_schedules,
   * start_maintenances, stop_maintenances, get_maintenance_statuses, drain_agents, deactivate_agents,
   * reactivate_agents): Mesos' local authorizer matches them against ANY machine or agent only.
   */
  public boolean maintenance(Action action, Optional<String> principal) {
    return check(action, principal, null);
  }

  /**
   * register_agents (the object is always any agent) for an agent that {@code verb}s ("register", "reregister")
   * with {@code info} as {@code principal}: Mesos' refusal text, or empty when allowed.
   */
  public Optional<String> registerAgent(Optional<String> principal, SlaveInfo info, String verb) {
    if (check(Action.REGISTER_AGENT, principal, null)) {
      return Optional.empty();
    }
    return Optional.of("Not authorized to " + verb + " agent providing resources '"
        + Resources.of(info.getResourcesList()) + "' "
        + principal.map(p -> "with principal '" + p + "'").orElse("without a principal"));
  }

  /**
   * reserve_resources, unreserve_resources, create_volumes, destroy_volumes, resize_volume for a RESERVE,
   * UNRESERVE, CREATE, DESTROY, GROW_VOLUME or SHRINK_VOLUME operation made as {@code principal}: one object per
   * reserved role, reservation principal or volume, as Mesos' {@code ActionObject}s; the first refusal in Mesos'
   * words, or empty when every object is allowed.
   */
  public Optional<String> operation(Optional<String> principal, Offer.Operation operation) {
    for (Map.Entry<Action, AuthorizationObject> object : OperationObjects.of(operation)) {
      if (!authorizer.authorized(object.getKey(), principal, object.getValue())) {
        String target = object.getValue() == null ? "perform action " + object.getKey() + " on ANY object"
            : "perform action " + object.getKey() + " on object " + OperationObjects.json(object.getValue());
        LOG.info("Principal '{}' is not authorized to {}", principal.orElse("ANY"), object.getKey());
        return Optional.of("Principal '" + principal.orElse("") + "' no authorized to " + target);
      }
    }
    return Optional.empty();
  }

  /** view_flags (the object is always any flag). */
  public boolean viewFlags(Optional<String> principal) {
    return check(Action.VIEW_FLAGS, principal, null);
  }

  /** set_log_level (the object is always any level): the operator API's SET_LOGGING_LEVEL. */
  public boolean setLogLevel(Optional<String> principal) {
    return check(Action.SET_LOG_LEVEL, principal, null);
  }

  /** access_mesos_logs (the object is always the log): {@code /files/*} on {@code /master/log}. */
  public boolean accessLog(Optional<String> principal) {
    return check(Action.ACCESS_MESOS_LOG, principal, null);
  }

  /** get_endpoints for one of Mesos' authorizable paths (e.g. {@code /metrics/snapshot}). */
  public boolean getEndpoint(Optional<String> principal, String path) {
    return check(Action.GET_ENDPOINT_WITH_PATH, principal, AuthorizationObject.value(path));
  }

  /** The approver of a view action for a reader, to filter what it sees ({@code /state}, GET_STATE, ...). */
  public ObjectApprover viewer(Action action, Optional<String> principal) {
    return authorizer.approver(action, principal);
  }

  private boolean check(Action action, Optional<String> principal, AuthorizationObject object) {
    boolean allowed = authorizer.authorized(action, principal, object);
    if (!allowed) {
      LOG.info("Principal '{}' is not authorized to {}", principal.orElse("ANY"), action);
    }
    return allowed;
  }

  private static Optional<String> principal(FrameworkInfo info) {
    return info.hasPrincipal() ? Optional.of(info.getPrincipal()) : Optional.empty();
  }

  private static String launchText(FrameworkInfo framework, TaskInfo task) {
    String user = task.hasCommand() && task.getCommand().hasUser() ? task.getCommand().getUser()
        : task.hasExecutor() && task.getExecutor().getCommand().hasUser() ? task.getExecutor().getCommand().getUser()
        : framework.getUser();
    return "launch task " + task.getTaskId().getValue() + " of framework " + framework.getId().getValue()
        + " under user '" + user + "'";
  }

  /** A framework's roles: {@code roles} when MULTI_ROLE capable, else its one {@code role}. */
  @SuppressWarnings("deprecation") // FrameworkInfo.role: deprecated in Mesos, the role of non-MULTI_ROLE frameworks
  private static List<String> roles(FrameworkInfo info) {
    boolean multiRole = info.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.MULTI_ROLE);
    return multiRole ? info.getRolesList() : List.of(info.getRole());
  }

  /** stout's rendering of a set: {@code { a, b }}, sorted. */
  private static String setString(List<String> values) {
    return values.isEmpty() ? "{  }" : "{ " + String.join(", ", new java.util.TreeSet<>(values)) + " }";
  }
}
