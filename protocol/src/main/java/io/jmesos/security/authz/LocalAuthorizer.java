package io.jmesos.security.authz;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.jmesos.protocol.authorizer.Acls.ACL.Entity;
import io.jmesos.protocol.authorizer.Acls.ACLs;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.TaskInfo;

/**
 * Mesos 1.11's local authorizer ({@code src/authorizer/local/authorizer.cpp}): each action is decided against
 * its list of {@code --acls} entries, in order. The first entry whose subjects match the request's subject and
 * whose objects match its object decides; when none matches, {@code permissive} does (default {@code true}).
 *
 * <p>An entry's entity is {@code values} (type {@code SOME}), {@code ANY} or {@code NONE}; a request's subject
 * is its principal (SOME) or, unauthenticated, ANY, and its object is a value the action takes from the object
 * (a role, a user, a principal, a path) or ANY. Matching and allowing follow Mesos' tables:
 *
 * <pre>
 *   matches:  request \ entry   SOME            NONE  ANY        allows:  SOME            NONE  ANY
 *             SOME              values subset   yes   yes                 values subset   no    yes
 *             NONE              no              yes   no                  no              yes   no
 *             ANY               no              yes   yes                 no              no    yes
 * </pre>
 *
 * so an entry of {@code NONE} matches everything and denies it, and an unauthenticated request is allowed only
 * by an entry of {@code ANY} principals. Role actions (register_frameworks, reserve_resources, create_volumes,
 * resize_volumes, update_weights, view_roles, get_quotas, update_quotas and the disk ones) also take recursive
 * entries {@code "role/%"}: such a value matches every role strictly below {@code role}, as Mesos' hierarchical
 * role approver; a framework registering several roles needs each of them allowed.
 *
 * <p>Immutable and thread-safe; pure, never blocks.
 */
public final class LocalAuthorizer implements Authorizer {
  /** Mesos' {@code AUTHORIZABLE_ENDPOINTS}: what get_endpoints may name. */
  public static final Set<String> AUTHORIZABLE_ENDPOINTS = Set.of("/containers", "/containerizer/debug",
      "/files/debug", "/logging/toggle", "/metrics/snapshot", "/monitor/statistics");

  private static final Map<Action, String> LISTS = new EnumMap<>(Action.class);
  private static final Set<Action> ROLE_ACTIONS = Set.of(Action.REGISTER_FRAMEWORK, Action.RESERVE_RESOURCES,
      Action.CREATE_VOLUME, Action.RESIZE_VOLUME, Action.UPDATE_WEIGHT, Action.VIEW_ROLE, Action.GET_QUOTA,
      Action.UPDATE_QUOTA, Action.UPDATE_QUOTA_WITH_CONFIG, Action.CREATE_BLOCK_DISK, Action.DESTROY_BLOCK_DISK,
      Action.CREATE_MOUNT_DISK, Action.DESTROY_MOUNT_DISK, Action.DESTROY_RAW_DISK);
  /** Lists whose objects may only be ANY or NONE, with the name Mesos' validation error gives them. */
  private static final Map<String, String> ANY_OR_NONE = Map.ofEntries(
      Map.entry("access_mesos_logs", "AccessMesosLog"), Map.entry("view_flags", "ViewFlags"),
      Map.entry("set_log_level", "SetLogLevel"), Map.entry("register_agents", "RegisterAgent"),
      Map.entry("update_maintenance_schedules", "UpdateMaintenanceSchedule"),
      Map.entry("get_maintenance_schedules", "GetMaintenanceSchedule"),
      Map.entry("start_maintenances", "StartMaintenance"), Map.entry("stop_maintenances", "StopMaintenance"),
      Map.entry("get_maintenance_statuses", "GetMaintenanceStatus"), Map.entry("drain_agents", "DrainAgent"),
      Map.entry("deactivate_agents", "DeactivateAgent"), Map.entry("reactivate_agents", "ReactivateAgent"),
      Map.entry("launch_standalone_containers", "LaunchStandaloneContainer"),
      Map.entry("kill_standalone_containers", "KillStandaloneContainer"),
      Map.entry("wait_standalone_containers", "WaitStandaloneContainer"),
      Map.entry("remove_standalone_containers", "RemoveStandaloneContainer"),
      Map.entry("view_standalone_containers", "ViewStandaloneContainer"),
      Map.entry("mark_resource_providers_gone", "MarkResourceProvidersGone"),
      Map.entry("view_resource_providers", "ViewResourceProvider"),
      Map.entry("modify_resource_provider_configs", "ModifyResourceProviderConfig"),
      Map.entry("prune_images", "PruneImages"));
  private static final String[] ANY_OR_NONE_ORDER = {"access_mesos_logs", "view_flags", "set_log_level",
      "get_endpoints", "register_agents", "update_maintenance_schedules", "get_maintenance_schedules",
      "start_maintenances", "stop_maintenances", "get_maintenance_statuses", "drain_agents", "deactivate_agents",
      "reactivate_agents", "launch_standalone_containers", "kill_standalone_containers",
      "wait_standalone_containers", "remove_standalone_containers", "view_standalone_containers",
      "mark_resource_providers_gone", "view_resource_providers", "modify_resource_provider_configs",
      "prune_images"};

  static {
    list(Action.REGISTER_FRAMEWORK, "register_frameworks");
    list(Action.RUN_TASK, "run_tasks");
    list(Action.TEARDOWN_FRAMEWORK, "teardown_frameworks");
    list(Action.RESERVE_RESOURCES, "reserve_resources");
    list(Action.UNRESERVE_RESOURCES, "unreserve_resources");
    list(Action.CREATE_VOLUME, "create_volumes");
    list(Action.DESTROY_VOLUME, "destroy_volumes");
    list(Action.RESIZE_VOLUME, "resize_volumes");
    list(Action.GET_ENDPOINT_WITH_PATH, "get_endpoints");
    list(Action.VIEW_ROLE, "view_roles");
    list(Action.UPDATE_WEIGHT, "update_weights");
    list(Action.GET_QUOTA, "get_quotas");
    list(Action.UPDATE_QUOTA, "update_quotas");
    list(Action.UPDATE_QUOTA_WITH_CONFIG, "update_quotas");
    list(Action.VIEW_FRAMEWORK, "view_frameworks");
    list(Action.VIEW_TASK, "view_tasks");
    list(Action.VIEW_EXECUTOR, "view_executors");
    list(Action.ACCESS_SANDBOX, "access_sandboxes");
    list(Action.ACCESS_MESOS_LOG, "access_mesos_logs");
    list(Action.VIEW_FLAGS, "view_flags");
    // Mesos also checks the command's user against *_as_user when the object carries a CommandInfo; jmesos
    // has no nested containers, so only the parent's ACLs apply.
    list(Action.LAUNCH_NESTED_CONTAINER, "launch_nested_containers_under_parent_with_user");
    list(Action.LAUNCH_NESTED_CONTAINER_SESSION, "launch_nested_container_sessions_under_parent_with_user");
    list(Action.KILL_NESTED_CONTAINER, "kill_nested_containers");
    list(Action.WAIT_NESTED_CONTAINER, "wait_nested_containers");
    list(Action.REMOVE_NESTED_CONTAINER, "remove_nested_containers");
    list(Action.ATTACH_CONTAINER_INPUT, "attach_containers_input");
    list(Action.ATTACH_CONTAINER_OUTPUT, "attach_containers_output");
    list(Action.VIEW_CONTAINER, "view_containers");
    list(Action.SET_LOG_LEVEL, "set_log_level");
    list(Action.REGISTER_AGENT, "register_agents");
    list(Action.UPDATE_MAINTENANCE_SCHEDULE, "update_maintenance_schedules");
    list(Action.GET_MAINTENANCE_SCHEDULE, "get_maintenance_schedules");
    list(Action.START_MAINTENANCE, "start_maintenances");
    list(Action.STOP_MAINTENANCE, "stop_maintenances");
    list(Action.GET_MAINTENANCE_STATUS, "get_maintenance_statuses");
    list(Action.DRAIN_AGENT, "drain_agents");
    list(Action.DEACTIVATE_AGENT, "deactivate_agents");
    list(Action.REACTIVATE_AGENT, "reactivate_agents");
    list(Action.MARK_AGENT_GONE, "mark_agents_gone");
    list(Action.LAUNCH_STANDALONE_CONTAINER, "launch_standalone_containers");
    list(Action.KILL_STANDALONE_CONTAINER, "kill_standalone_containers");
    list(Action.WAIT_STANDALONE_CONTAINER, "wait_standalone_containers");
    list(Action.REMOVE_STANDALONE_CONTAINER, "remove_standalone_containers");
    list(Action.VIEW_STANDALONE_CONTAINER, "view_standalone_containers");
    list(Action.MODIFY_RESOURCE_PROVIDER_CONFIG, "modify_resource_provider_configs");
    list(Action.MARK_RESOURCE_PROVIDER_GONE, "mark_resource_providers_gone");
    list(Action.VIEW_RESOURCE_PROVIDER, "view_resource_providers");
    list(Action.PRUNE_IMAGES, "prune_images");
    list(Action.CREATE_BLOCK_DISK, "create_block_disks");
    list(Action.DESTROY_BLOCK_DISK, "destroy_block_disks");
    list(Action.CREATE_MOUNT_DISK, "create_mount_disks");
    list(Action.DESTROY_MOUNT_DISK, "destroy_mount_disks");
    list(Action.DESTROY_RAW_DISK, "destroy_raw_disks");
  }

  private static final Entity ANY = Entity.newBuilder().setType(Entity.Type.ANY).build();

  private final ACLs acls;
  private final Map<Action, List<Rule>> rules = new EnumMap<>(Action.class);

  private LocalAuthorizer(ACLs acls) {
    this.acls = acls;
    for (Map.Entry<Action, String> list : LISTS.entrySet()) {
      rules.put(list.getKey(), rules(acls, list.getValue(), ROLE_ACTIONS.contains(list.getKey())));
    }
  }

  /**
   * A local authorizer of {@code acls}.
   *
   * @throws IllegalArgumentException with Mesos' message when the ACLs are not valid ({@link #validate})
   */
  public static LocalAuthorizer create(ACLs acls) {
    validate(acls).ifPresent(error -> {
      throw new IllegalArgumentException(error);
    });
    return new LocalAuthorizer(acls);
  }

  /**
   * What Mesos' {@code LocalAuthorizer::validate} refuses: an object of values where only ANY or NONE make
   * sense, or a get_endpoints path that cannot be authorized.
   */
  public static Optional<String> validate(ACLs acls) {
    for (String list : ANY_OR_NONE_ORDER) {
      for (Rule rule : rules(acls, list, false)) {
        if (list.equals("get_endpoints")) {
          if (rule.objects.getType() == Entity.Type.SOME) {
            for (String path : rule.objects.getValuesList()) {
              if (!AUTHORIZABLE_ENDPOINTS.contains(path)) {
                return Optional.of("Path: '" + path + "' is not an authorizable path");
              }
            }
          }
        } else if (rule.objects.getType() == Entity.Type.SOME) {
          return Optional.of("ACL." + ANY_OR_NONE.get(list) + " type must be either NONE or ANY");
        }
      }
    }
    return Optional.empty();
  }

  /** The ACLs this authorizer decides with. */
  public ACLs acls() {
    return acls;
  }

  @Override
  public ObjectApprover approver(Action action, Optional<String> principal) {
    Objects.requireNonNull(action, "action");
    Entity subject = principal.map(p -> Entity.newBuilder().setType(Entity.Type.SOME).addValues(p).build())
        .orElse(ANY);
    List<Rule> list = rules.get(action);
    boolean permissive = acls.getPermissive();
    if (action == Action.REGISTER_FRAMEWORK) {
      return object -> registerFramework(list, subject, object, permissive);
    }
    if (ROLE_ACTIONS.contains(action)) {
      return object -> decideHierarchical(list, subject, roleObject(action, object), permissive);
    }
    return object -> decide(list, subject, object(action, object), permissive);
  }

  private static boolean registerFramework(List<Rule> list, Entity subject, AuthorizationObject object,
      boolean permissive) {
    List<Entity> objects = new ArrayList<>();
    if (object == null) {
      objects.add(ANY);
    } else if (object.frameworkInfo().isPresent()) {
      for (String role : roles(object.frameworkInfo().get())) {
        objects.add(some(role));
      }
    } else if (object.value().isPresent()) {
      objects.add(some(object.value().get()));
    } else {
      objects.add(ANY);
    }
    for (Entity role : objects) {
      if (!decideHierarchical(list, subject, role, permissive)) {
        return false;
      }
    }
    return objects.isEmpty() ? permissive : true;
  }

  /** A framework's roles: {@code roles} when it is MULTI_ROLE capable, else its one {@code role}. */
  static List<String> roles(FrameworkInfo framework) {
    boolean multiRole = framework.getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.MULTI_ROLE);
    return multiRole ? framework.getRolesList() : List.of(framework.getRole());
  }

  private static Entity roleObject(Action action, AuthorizationObject object) {
    if (object == null) {
      return ANY;
    }
    if (object.resource().isPresent()) {
      Resource resource = object.resource().get();
      return some(resource.getReservationsCount() > 0
          ? resource.getReservations(resource.getReservationsCount() - 1).getRole() : resource.getRole());
    }
    return object.value().map(LocalAuthorizer::some).orElse(ANY);
  }

  /** The object entity of a non-role action, as Mesos' {@code LocalAuthorizerObjectApprover}. */
  private static Entity object(Action action, AuthorizationObject object) {
    if (object == null) {
      return ANY;
    }
    Optional<FrameworkInfo> framework = object.frameworkInfo();
    Optional<ExecutorInfo> executor = object.executorInfo();
    switch (action) {
      case GET_ENDPOINT_WITH_PATH:
        return object.value().map(LocalAuthorizer::some).orElse(ANY);
      case TEARDOWN_FRAMEWORK:
        if (framework.isPresent()) {
          return some(framework.get().getPrincipal());
        }
        return object.value().map(LocalAuthorizer::some).orElse(ANY);
      case DESTROY_VOLUME:
        if (object.resource().isPresent()) {
          return some(object.resource().get().getDisk().getPersistence().getPrincipal());
        }
        return object.value().map(LocalAuthorizer::some).orElse(ANY);
      case UNRESERVE_RESOURCES:
        if (object.resource().isPresent()) {
          Resource r = object.resource().get();
          return some(r.getReservationsCount() > 0
              ? r.getReservations(r.getReservationsCount() - 1).getPrincipal() : r.getReservation().getPrincipal());
        }
        return object.value().map(LocalAuthorizer::some).orElse(ANY);
      case RUN_TASK: {
        Optional<TaskInfo> task = object.taskInfo();
        if (task.isPresent() && task.get().hasCommand() && task.get().getCommand().hasUser()) {
          return some(task.get().getCommand().getUser());
        }
        if (task.isPresent() && task.get().hasExecutor() && task.get().getExecutor().getCommand().hasUser()) {
          return some(task.get().getExecutor().getCommand().getUser());
        }
        return framework.map(f -> some(f.getUser())).orElse(ANY);
      }
      case VIEW_FRAMEWORK:
        return some(framework.orElseThrow(() -> missing(action, "framework_info")).getUser());
      case VIEW_TASK:
        return some(taskUser(object).orElseGet(() ->
            framework.orElseThrow(() -> missing(action, "framework_info")).getUser()));
      case VIEW_EXECUTOR: {
        ExecutorInfo e = executor.orElseThrow(() -> missing(action, "executor_info"));
        return some(e.getCommand().hasUser() ? e.getCommand().getUser()
            : framework.orElseThrow(() -> missing(action, "framework_info")).getUser());
      }
      case ACCESS_SANDBOX:
      case VIEW_CONTAINER:
      case LAUNCH_NESTED_CONTAINER:
      case LAUNCH_NESTED_CONTAINER_SESSION:
      case ATTACH_CONTAINER_INPUT:
      case ATTACH_CONTAINER_OUTPUT:
      case REMOVE_NESTED_CONTAINER:
      case KILL_NESTED_CONTAINER:
      case WAIT_NESTED_CONTAINER:
        if (executor.isPresent() && executor.get().getCommand().hasUser()) {
          return some(executor.get().getCommand().getUser());
        }
        if (framework.isPresent() && (action == Action.ACCESS_SANDBOX || framework.get().hasUser())) {
          return some(framework.get().getUser());
        }
        return ANY;
      default:
        // access_mesos_logs, view_flags, agents, maintenance, standalone containers, resource providers, images:
        // the object is always ANY.
        return ANY;
    }
  }

  private static Optional<String> taskUser(AuthorizationObject object) {
    if (object.task().isPresent() && object.task().get().hasUser()) {
      return Optional.of(object.task().get().getUser());
    }
    if (object.taskInfo().isPresent()) {
      TaskInfo task = object.taskInfo().get();
      if (task.hasCommand() && task.getCommand().hasUser()) {
        return Optional.of(task.getCommand().getUser());
      }
      if (task.hasExecutor() && task.getExecutor().getCommand().hasUser()) {
        return Optional.of(task.getExecutor().getCommand().getUser());
      }
    }
    return Optional.empty();
  }

  private static IllegalArgumentException missing(Action action, String what) {
    return new IllegalArgumentException("Authorization for action " + action + " needs " + what);
  }

  private static boolean decide(List<Rule> rules, Entity subject, Entity object, boolean permissive) {
    for (Rule rule : rules) {
      if (matches(subject, rule.subjects) && matches(object, rule.objects)) {
        return allows(subject, rule.subjects) && allows(object, rule.objects);
      }
    }
    return permissive;
  }

  /** As {@link #decide}, where a recursive entry {@code "a/%"} matches any object role below {@code a}. */
  private static boolean decideHierarchical(List<Rule> rules, Entity subject, Entity object, boolean permissive) {
    for (Rule rule : rules) {
      if (!rule.recursive()) {
        if (matches(subject, rule.subjects) && matches(object, rule.objects)) {
          return allows(subject, rule.subjects) && allows(object, rule.objects);
        }
      } else if (object.getType() == Entity.Type.SOME && object.getValuesCount() == 1) {
        String parent = rule.objects.getValues(0);
        if (object.getValues(0).startsWith(parent.substring(0, parent.length() - 1))
            && matches(subject, rule.subjects)) {
          return allows(subject, rule.subjects);
        }
      }
    }
    return permissive;
  }

  /** Whether an entry's entity applies to the request's (Mesos' match matrix). */
  static boolean matches(Entity request, Entity acl) {
    switch (request.getType()) {
      case NONE:
        return acl.getType() == Entity.Type.NONE;
      case ANY:
        return acl.getType() != Entity.Type.SOME;
      default:
        return acl.getType() != Entity.Type.SOME || acl.getValuesList().containsAll(request.getValuesList());
    }
  }

  /** Whether an entry that applies allows the request's entity (Mesos' allow matrix). */
  static boolean allows(Entity request, Entity acl) {
    switch (request.getType()) {
      case NONE:
        return acl.getType() == Entity.Type.NONE;
      case ANY:
        return acl.getType() == Entity.Type.ANY;
      default:
        return acl.getType() == Entity.Type.ANY
            || acl.getType() == Entity.Type.SOME && acl.getValuesList().containsAll(request.getValuesList());
    }
  }

  private static Entity some(String value) {
    return Entity.newBuilder().setType(Entity.Type.SOME).addValues(value).build();
  }

  private static void list(Action action, String field) {
    LISTS.put(action, field);
  }

  /**
   * The entries of one ACLs list as (subjects, objects): every ACL message has its principals as field 1 and its
   * objects as field 2. With {@code roles}, an entry's recursive values ({@code "a/%"}) become entries of their
   * own, in place, as Mesos splits them.
   */
  private static List<Rule> rules(ACLs acls, String field, boolean roles) {
    FieldDescriptor list = ACLs.getDescriptor().findFieldByName(field);
    if (list == null) {
      throw new IllegalStateException("No ACLs list " + field);
    }
    List<Rule> rules = new ArrayList<>();
    int n = acls.getRepeatedFieldCount(list);
    for (int i = 0; i < n; i++) {
      Message acl = (Message) acls.getRepeatedField(list, i);
      Entity subjects = (Entity) acl.getField(acl.getDescriptorForType().findFieldByNumber(1));
      Entity objects = (Entity) acl.getField(acl.getDescriptorForType().findFieldByNumber(2));
      if (!roles || objects.getType() != Entity.Type.SOME) {
        rules.add(new Rule(subjects, objects));
        continue;
      }
      Entity.Builder plain = Entity.newBuilder().setType(Entity.Type.SOME);
      for (String value : objects.getValuesList()) {
        if (value.endsWith("/%")) {
          rules.add(new Rule(subjects, some(value)));
        } else {
          plain.addValues(value);
        }
      }
      if (plain.getValuesCount() > 0) {
        rules.add(new Rule(subjects, plain.build()));
      }
    }
    return rules;
  }

  /** One ACL entry: who (subjects) on what (objects). */
  private static final class Rule {
    final Entity subjects;
    final Entity objects;

    Rule(Entity subjects, Entity objects) {
      this.subjects = subjects;
      this.objects = objects;
    }

    boolean recursive() {
      return objects.getValuesCount() == 1 && objects.getValues(0).endsWith("/%");
    }
  }
}
