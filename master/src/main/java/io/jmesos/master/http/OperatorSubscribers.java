package io.jmesos.master.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jmesos.actor.Clock;
import io.jmesos.http.EventStream;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import io.jmesos.master.authz.StateFilter;
import io.jmesos.master.core.Events;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.core.OperatorEvents;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.state.FrameworkLifecycle;
import io.jmesos.recordio.RecordIO;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.master.Protos.Event;
import org.apache.mesos.v1.master.Protos.Response.GetFrameworks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator event stream, Mesos 1.11's master {@code SUBSCRIBE}: each subscriber gets a 200 RecordIO stream
 * (JSON or protobuf) that starts with SUBSCRIBED (the full {@code GET_STATE} and the heartbeat interval), then
 * TASK_ADDED, TASK_UPDATED, AGENT_ADDED, AGENT_REMOVED, FRAMEWORK_ADDED, FRAMEWORK_UPDATED and FRAMEWORK_REMOVED
 * as the master changes, in the order it changes, and HEARTBEAT every 15 seconds. At most
 * {@code --max_operator_event_stream_subscribers} are kept: a new one beyond closes the oldest, as Mesos does.
 * Beyond Mesos, a subscriber that reads too slowly cannot make the master hold ever more: once its unread
 * backlog passes {@link #MAX_BACKLOG_BYTES} (or twice its SUBSCRIBED event, if larger) its stream is closed.
 * Each event is built and serialized once for all subscribers that see everything. A subscriber whose principal
 * the view ACLs restrict gets, as in Mesos, its filtered state and only the events about what it may view
 * (frameworks, tasks, and agents' resources by role). Used only on the master's actor.
 */
final class OperatorSubscribers implements OperatorEvents {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorSubscribers.class);
  static final long MAX_BACKLOG_BYTES = 16L << 20;

  private final MasterContext ctx;
  private final OperatorState state;
  private final long maxBacklogBytes;
  private final Map<String, Subscriber> subscribers = new LinkedHashMap<>();

  OperatorSubscribers(MasterContext ctx, OperatorState state) {
    this(ctx, state, MAX_BACKLOG_BYTES);
  }

  /** With another backlog bound than {@link #MAX_BACKLOG_BYTES} (tests). */
  OperatorSubscribers(MasterContext ctx, OperatorState state, long maxBacklogBytes) {
    this.ctx = ctx;
    this.state = state;
    this.maxBacklogBytes = maxBacklogBytes;
  }

  /** The number of open subscriptions (Mesos' {@code master/operator_event_stream_subscribers}). */
  int size() {
    return subscribers.size();
  }

  @Override
  public int subscribers() {
    return subscribers.size();
  }

  /** Opens a subscription on {@code responder}: SUBSCRIBED now, the changes and heartbeats after. */
  void subscribe(HttpResponder responder, boolean json) {
    subscribe(responder, json, StateFilter.ALL);
  }

  /**
   * As {@link #subscribe(HttpResponder, boolean)} for a reader that sees what {@code filter} lets it see, as
   * Mesos' subscriber keeps its approvers: its SUBSCRIBED state is filtered as GET_STATE, and it gets only the
   * events about frameworks, tasks and resources it may view.
   */
  void subscribe(HttpResponder responder, boolean json, StateFilter filter) {
    ctx.actor.assertInActorThread();
    int max = ctx.flags.maxOperatorEventStreamSubscribers();
    while (subscribers.size() >= max) {
      Subscriber oldest = subscribers.values().iterator().next();
      LOG.info("Reached the maximum number of operator event stream subscribers ({}) so the oldest connection ({})"
          + " will be closed", max, oldest.id);
      close(oldest);
    }
    Event subscribed = Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder().setGetState(state.filtered(filter).state())
            .setHeartbeatIntervalSeconds(Events.HEARTBEAT_INTERVAL_SECONDS))
        .build();
    byte[] first = encode(subscribed, json);
    String id = UUID.randomUUID().toString();
    EventStream stream = responder.stream(200, Map.of("Content-Type", json ? MediaTypes.JSON : MediaTypes.PROTOBUF));
    Subscriber subscriber = new Subscriber(id, stream, json, Math.max(maxBacklogBytes, 2L * first.length), filter);
    subscribers.put(id, subscriber);
    stream.onClose(() -> ctx.actor.execute(() -> closed(subscriber)));
    LOG.info("Added subscriber {} to the list of active subscribers", id);
    stream.send(first);
    scheduleHeartbeat(subscriber);
  }

  private void scheduleHeartbeat(Subscriber subscriber) {
    subscriber.heartbeat = ctx.actor.delay(Duration.ofMillis((long) (Events.HEARTBEAT_INTERVAL_SECONDS * 1000)),
        () -> {
          if (subscribers.get(subscriber.id) == subscriber) {
            send(subscriber, Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
            scheduleHeartbeat(subscriber);
          }
        });
  }

  @Override
  public void taskAdded(Framework framework, Task task) {
    if (!subscribers.isEmpty()) {
      FrameworkInfo info = framework.info();
      broadcast(Event.newBuilder().setType(Event.Type.TASK_ADDED)
          .setTaskAdded(Event.TaskAdded.newBuilder().setTask(OperatorState.task(task))).build(),
          filter -> filter.framework(info) && filter.task(task, info), null);
    }
  }

  @Override
  public void taskUpdated(Framework framework, Task task, TaskStatus status) {
    if (!subscribers.isEmpty()) {
      broadcast(Event.newBuilder().setType(Event.Type.TASK_UPDATED)
          .setTaskUpdated(Event.TaskUpdated.newBuilder()
              .setFrameworkId(OperatorState.v1(task.getFrameworkId(),
                  org.apache.mesos.v1.Protos.FrameworkID.parser()))
              .setStatus(OperatorState.v1(status, org.apache.mesos.v1.Protos.TaskStatus.parser()))
              .setState(org.apache.mesos.v1.Protos.TaskState.forNumber(task.getState().getNumber())))
          .build(), filter -> filter.framework(framework.info()) && filter.task(task, framework.info()), null);
    }
  }

  @Override
  public void agentAdded(Agent agent) {
    if (!subscribers.isEmpty()) {
      broadcast(Event.newBuilder().setType(Event.Type.AGENT_ADDED)
          .setAgentAdded(Event.AgentAdded.newBuilder().setAgent(state.agent(agent))).build(), filter -> true,
          filter -> Event.newBuilder().setType(Event.Type.AGENT_ADDED)
              .setAgentAdded(Event.AgentAdded.newBuilder().setAgent(state.filtered(filter).agent(agent))).build());
    }
  }

  @Override
  public void agentRemoved(SlaveID id) {
    if (!subscribers.isEmpty()) {
      broadcast(Event.newBuilder().setType(Event.Type.AGENT_REMOVED)
          .setAgentRemoved(Event.AgentRemoved.newBuilder()
              .setAgentId(OperatorState.v1(id, org.apache.mesos.v1.Protos.AgentID.parser()))).build(),
          filter -> true, null);
    }
  }

  @Override
  public void frameworkAdded(Framework framework) {
    if (!subscribers.isEmpty()) {
      broadcast(Event.newBuilder().setType(Event.Type.FRAMEWORK_ADDED)
          .setFrameworkAdded(Event.FrameworkAdded.newBuilder().setFramework(framework(framework))).build(),
          filter -> filter.framework(framework.info()), null);
    }
  }

  @Override
  public void frameworkUpdated(Framework framework) {
    if (!subscribers.isEmpty()) {
      broadcast(Event.newBuilder().setType(Event.Type.FRAMEWORK_UPDATED)
          .setFrameworkUpdated(Event.FrameworkUpdated.newBuilder().setFramework(framework(framework))).build(),
          filter -> filter.framework(framework.info()), null);
    }
  }

  @Override
  public void frameworkRemoved(FrameworkInfo info) {
    if (!subscribers.isEmpty()) {
      broadcast(Event.newBuilder().setType(Event.Type.FRAMEWORK_REMOVED)
          .setFrameworkRemoved(Event.FrameworkRemoved.newBuilder()
              .setFrameworkInfo(OperatorState.v1(info, org.apache.mesos.v1.Protos.FrameworkInfo.parser())))
          .build(), filter -> filter.framework(info), null);
    }
  }

  /**
   * A framework as Mesos' {@code createFrameworkAdded}/{@code createFrameworkUpdated} write it: its info, flags
   * and times (all three always set, zero when not yet), without resources or offers.
   */
  private static GetFrameworks.Framework framework(Framework framework) {
    double reregistered = framework.reregisteredTime > 0 ? framework.reregisteredTime : framework.registeredTime;
    return GetFrameworks.Framework.newBuilder()
        .setFrameworkInfo(OperatorState.v1(framework.info(), org.apache.mesos.v1.Protos.FrameworkInfo.parser()))
        .setActive(framework.active())
        .setConnected(framework.connected())
        .setRecovered(framework.lifecycle() == FrameworkLifecycle.RECOVERED)
        .setRegisteredTime(OperatorState.time(framework.registeredTime))
        .setReregisteredTime(OperatorState.time(reregistered))
        .setUnregisteredTime(OperatorState.time(framework.unregisteredTime))
        .build();
  }

  /**
   * Sends {@code event} to every subscriber that sees everything, and to a filtered one when {@code visible}
   * (Mesos drops the event for a subscriber that may not view it) as {@code restricted} makes it for its filter
   * (null: the event as it is).
   */
  private void broadcast(Event event, Predicate<StateFilter> visible, Function<StateFilter, Event> restricted) {
    byte[] json = null;
    byte[] protobuf = null;
    for (Subscriber subscriber : new ArrayList<>(subscribers.values())) {
      if (subscriber.filter != StateFilter.ALL) {
        if (!visible.test(subscriber.filter)) {
          continue;
        }
        if (restricted != null) {
          send(subscriber, restricted.apply(subscriber.filter));
          continue;
        }
      }
      if (subscriber.json) {
        json = json != null ? json : encode(event, true);
        send(subscriber, json);
      } else {
        protobuf = protobuf != null ? protobuf : encode(event, false);
        send(subscriber, protobuf);
      }
    }
  }

  private void send(Subscriber subscriber, Event event) {
    send(subscriber, encode(event, subscriber.json));
  }

  private void send(Subscriber subscriber, byte[] record) {
    long backlog = subscriber.stream.pendingBytes();
    if (backlog > subscriber.maxBacklog) {
      LOG.warn("Closing operator event stream subscriber {}: {} bytes of events not yet read (limit {}): a slow "
          + "consumer", subscriber.id, backlog, subscriber.maxBacklog);
      ctx.state.metrics.slowOperatorSubscribersDisconnected++;
      subscriber.stream.abort(); // close() would wait behind the backlog the subscriber does not read
      closed(subscriber);
      return;
    }
    subscriber.stream.send(record);
  }

  private void close(Subscriber subscriber) {
    subscriber.stream.close();
    closed(subscriber);
  }

  private void closed(Subscriber subscriber) {
    if (subscribers.remove(subscriber.id, subscriber)) {
      if (subscriber.heartbeat != null) {
        subscriber.heartbeat.cancel();
      }
      LOG.info("Removed subscriber {} from the list of active subscribers", subscriber.id);
    }
  }

  /** One RecordIO record; in JSON the lists Mesos always writes in a state are present even when empty. */
  static byte[] encode(Event event, boolean json) {
    if (!json) {
      return RecordIO.encode(event.toByteArray());
    }
    ObjectNode tree = MesosJson.toTree(event);
    JsonNode subscribed = tree.get("subscribed");
    if (subscribed != null && subscribed.get("get_state") instanceof ObjectNode) {
      OperatorCalls.listAlways((ObjectNode) subscribed.get("get_state"));
    }
    return RecordIO.encode(tree.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static final class Subscriber {
    final String id;
    final EventStream stream;
    final boolean json;
    final long maxBacklog;
    final StateFilter filter;
    Clock.Timer heartbeat;

    Subscriber(String id, EventStream stream, boolean json, long maxBacklog, StateFilter filter) {
      this.id = id;
      this.stream = stream;
      this.json = json;
      this.maxBacklog = maxBacklog;
      this.filter = filter;
    }
  }
}
