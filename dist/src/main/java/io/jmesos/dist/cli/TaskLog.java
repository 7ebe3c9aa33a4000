package io.jmesos.dist.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.detector.MasterAddress;
import io.jmesos.protocol.TaskStates;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.mesos.Protos.TaskState;

/**
 * {@code mesos task log}: a task's {@code stdout} or {@code stderr}, read through its agent's {@code /files/read}
 * (as Mesos' {@code mesos-tail} did). The master says which agent and framework run the task, the agent's
 * {@code /state} says which executor sandbox holds it; {@code --follow} then reads on at a bounded interval until
 * the task is terminal and all of the file was printed.
 */
final class TaskLog {
  /** At most what the agent returns in one read (Mesos caps reads at 16 pages). */
  private static final int CHUNK = 16 * 4096;

  private final Cluster cluster;
  private final PrintStream out;

  TaskLog(Cluster cluster, PrintStream out) {
    this.cluster = cluster;
    this.out = out;
  }

  void print(String taskId, String file, boolean follow, Duration interval) {
    JsonNode task = cluster.task(taskId);
    InetSocketAddress agent = agentOf(task);
    String path = sandbox(agent, task) + "/" + file;
    long offset = 0;
    while (true) {
      boolean terminal = !follow || isTerminal(cluster.task(taskId));
      long read;
      do {
        read = readChunk(agent, path, offset);
        offset += read;
      } while (read > 0);
      if (terminal) {
        return;
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Prints one chunk from {@code offset}; returns the number of bytes printed. */
  private long readChunk(InetSocketAddress agent, String path, long offset) {
    JsonNode data;
    try {
      data = cluster.fromAgent(agent, "/files/read?path=" + Cluster.encode(path) + "&offset=" + offset
          + "&length=" + CHUNK);
    } catch (MesosHttp.NotFound e) {
      throw new CliException("No such file in the task's sandbox: '" + path + "'", e);
    }
    byte[] bytes = data.path("data").asText("").getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
    out.flush();
    return bytes.length;
  }

  private static boolean isTerminal(JsonNode task) {
    try {
      return TaskStates.isTerminal(TaskState.valueOf(Cluster.state(task)));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The address of the agent running {@code task}, from the master's agents' {@code pid}s. */
  private InetSocketAddress agentOf(JsonNode task) {
    String slaveId = task.path("slave_id").asText();
    for (JsonNode agent : cluster.agents()) {
      if (agent.path("id").asText().equals(slaveId)) {
        return MasterAddress.resolve(agent.path("pid").asText());
      }
    }
    throw new CliException("Unable to find agent '" + slaveId + "' of task '" + task.path("id").asText() + "'");
  }

  /** The sandbox directory of the executor that runs (or ran) {@code task}, from the agent's {@code /state}. */
  private String sandbox(InetSocketAddress agent, JsonNode task) {
    String taskId = task.path("id").asText();
    String frameworkId = task.path("framework_id").asText();
    String executorId = task.path("executor_id").asText();
    JsonNode state = cluster.fromAgent(agent, "/state");
    for (String frameworks : new String[] {"frameworks", "completed_frameworks"}) {
      for (JsonNode framework : state.path(frameworks)) {
        if (!framework.path("id").asText().equals(frameworkId)) {
          continue;
        }
        for (String executors : new String[] {"executors", "completed_executors"}) {
          for (JsonNode executor : framework.path(executors)) {
            if (runs(executor, executorId, taskId)) {
              return executor.path("directory").asText();
            }
          }
        }
      }
    }
    throw new CliException("Unable to find the sandbox of task '" + taskId + "' on agent '"
        + task.path("slave_id").asText() + "'");
  }

  private static boolean runs(JsonNode executor, String executorId, String taskId) {
    if (!executorId.isEmpty()) {
      return executor.path("id").asText().equals(executorId);
    }
    for (String tasks : new String[] {"tasks", "queued_tasks", "completed_tasks"}) {
      for (JsonNode task : executor.path(tasks)) {
        if (task.path("id").asText().equals(taskId)) {
          return true;
        }
      }
    }
    return false;
  }
}
