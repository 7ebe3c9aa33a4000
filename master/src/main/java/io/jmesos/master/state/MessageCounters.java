package io.jmesos.master.state;

import io.jmesos.internal.Messages;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Mesos' {@code master/messages_*} counters: the scheduler calls and agent messages the master acted on, by
 * Mesos' name for them. Every counter exists from the start at 0, as Mesos registers them. Two count messages
 * no jmesos component sends and stay 0, as in a Mesos cluster without such senders: {@code deactivate_framework}
 * (the v0 driver's DeactivateFrameworkMessage; jmesos drivers speak the v1 API) and {@code update_slave} (jmesos
 * agents send no UpdateSlaveMessage); mesos_exporter and other tools read both by name. The operation feedback
 * counters are left out (those messages exist but are not counted yet). Owned by the master's actor.
 */
public final class MessageCounters {
  private static final Map<String, String> AGENT_MESSAGES = Map.of(
      Messages.RegisterSlaveMessage.getDescriptor().getFullName(), "register_slave",
      Messages.ReregisterSlaveMessage.getDescriptor().getFullName(), "reregister_slave",
      Messages.UnregisterSlaveMessage.getDescriptor().getFullName(), "unregister_slave",
      Messages.StatusUpdateMessage.getDescriptor().getFullName(), "status_update",
      Messages.ExitedExecutorMessage.getDescriptor().getFullName(), "exited_executor",
      Messages.ExecutorToFrameworkMessage.getDescriptor().getFullName(), "executor_to_framework",
      Messages.AuthenticateMessage.getDescriptor().getFullName(), "authenticate");

  private final Map<String, Long> counts = new TreeMap<>();

  public MessageCounters() {
    for (String name : new String[] {"register_framework", "reregister_framework", "unregister_framework",
        "kill_task", "status_update_acknowledgement", "resource_request", "launch_tasks", "decline_offers",
        "revive_offers", "suppress_offers", "reconcile_tasks", "framework_to_executor", "deactivate_framework",
        "update_slave"}) {
      counts.put(name, 0L);
    }
    AGENT_MESSAGES.values().forEach(name -> counts.put(name, 0L));
  }

  /**
   * Counts a scheduler call the master is about to act on: SUBSCRIBE is a (re)registration by whether it names a
   * framework id; ACCEPT counts each LAUNCH as a launch (or, without tasks, a decline), as Mesos' accept does.
   */
  public void schedulerCall(Call call) {
    switch (call.getType()) {
      case SUBSCRIBE:
        boolean hasId = call.getSubscribe().getFrameworkInfo().hasId()
            && !call.getSubscribe().getFrameworkInfo().getId().getValue().isEmpty();
        count(hasId ? "reregister_framework" : "register_framework");
        break;
      case TEARDOWN:
        count("unregister_framework");
        break;
      case ACCEPT:
        for (var operation : call.getAccept().getOperationsList()) {
          if (operation.getType().getNumber() == Offer.Operation.Type.LAUNCH_VALUE) {
            count(operation.getLaunch().getTaskInfosCount() > 0 ? "launch_tasks" : "decline_offers");
          }
        }
        break;
      case DECLINE:
        count("decline_offers");
        break;
      case REVIVE:
        count("revive_offers");
        break;
      case SUPPRESS:
        count("suppress_offers");
        break;
      case KILL:
        count("kill_task");
        break;
      case ACKNOWLEDGE:
        count("status_update_acknowledgement");
        break;
      case RECONCILE:
        count("reconcile_tasks");
        break;
      case MESSAGE:
        count("framework_to_executor");
        break;
      case REQUEST:
        count("resource_request");
        break;
      default:
        break;
    }
  }

  /** Counts an internal message from an agent (or its executor) by its envelope type; others are not counted. */
  public void agentMessage(String type) {
    String name = AGENT_MESSAGES.get(type);
    if (name != null) {
      count(name);
    }
  }

  private void count(String name) {
    counts.merge(name, 1L, Long::sum);
  }

  /** The counters by name without the {@code master/messages_} prefix. */
  public Map<String, Long> snapshot() {
    return Collections.unmodifiableMap(counts);
  }
}
