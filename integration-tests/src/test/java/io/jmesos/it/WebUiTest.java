package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.dist.LocalCluster;
import io.jmesos.master.testing.TestScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The master's web UI in a real headless Chromium, against an in-process cluster running a long task: the
 * summary, agents, agent, framework, task and sandbox pages show what the cluster holds, the agent's pages over
 * JSONP from the agent's own port. Screenshots of the main pages go to {@code target/webui-screenshots}, or to
 * the directory named by {@code -Dwebui.screenshots=...} (docs/webui.md).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WebUiTest {
  private static final String TASK = "webui-task";
  private static final String MARKER = "hello-from-sandbox";
  private static final String FOLLOWED = "followed-by-the-viewer";
  private static final String MASTER_LOG_LINE = "a line of the master's log";
  private static final String AGENT_LOG_LINE = "a line of the agent's log";

  private Path work;
  private LocalCluster cluster;
  private TestScheduler scheduler;
  private AgentID agentId;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    Browser.requireInstalled();
    work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "webui-");
    // Logs written by "something else" (as journald would), so that the UI's log links have a known line.
    Path masterLog = Files.writeString(work.resolve("master.log"), MASTER_LOG_LINE + "\n");
    Path agentLog = Files.writeString(work.resolve("agent.log"), AGENT_LOG_LINE + "\n");
    cluster = LocalCluster.builder(work).ip("127.0.0.1").port(0).agents(1).resources("cpus:2;mem:1024")
        .masterFlag("external_log_file", masterLog.toString()).agentFlag("external_log_file", agentLog.toString())
        .start();
    scheduler = new TestScheduler(cluster.masterAddress(), true);
    scheduler.subscribe(TestScheduler.frameworkInfo().setName("webui-framework")
        .setUser(System.getProperty("user.name")).build());
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    agentId = offer.getAgentId();
    // The second line is written only once the test creates `go` in the sandbox: the viewer must follow it.
    launch(offer, "echo " + MARKER + "; while [ ! -e go ]; do sleep 0.2; done; echo " + FOLLOWED + "; sleep 1000");
    TaskStatus status;
    do {
      status = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
      acknowledge(status);
      assertThat(status.getState()).as(status.getMessage()).isIn(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    } while (status.getState() != TaskState.TASK_RUNNING);
    browser = new Browser(work.resolve("chromium-profile"),
        Paths.get(System.getProperty("webui.screenshots", "target/webui-screenshots")));
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (scheduler != null) {
      try {
        if (agentId != null) {
          killTask();
        }
      } finally {
        scheduler.close();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void pagesShowTheClusterItsAgentItsFrameworkAndTheTaskSandbox() throws Exception {
    String master = "http://" + cluster.masterAddress().getHostString() + ":" + cluster.masterAddress().getPort();
    String agent = agentId.getValue();
    String framework = scheduler.frameworkId().getValue();

    browser.open(master + "/#/");
    browser.waitForText(By.id("agents-activated"), "1");
    browser.waitForText(By.cssSelector("td[data-state=RUNNING]"), "1");
    browser.waitForText(By.cssSelector("section.tasks"), TASK);
    browser.wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".chart polyline"), 0));
    browser.screenshot("summary");
    browser.driver.findElement(By.id("master-log")).click();
    browser.waitForText(By.id("file-content"), MASTER_LOG_LINE);
    assertThat(browser.driver.getCurrentUrl()).endsWith("#/log");

    browser.open(master + "/#/agents");
    browser.waitForText(By.id("agents-table"), agent);
    browser.open(master + "/#/agents/" + agent);
    browser.waitForText(By.id("agent-id"), agent);
    browser.waitForText(By.cssSelector("table.executors"), TASK);
    browser.screenshot("agent");
    browser.driver.findElement(By.id("agent-log")).click();
    browser.waitForText(By.id("file-content"), AGENT_LOG_LINE);

    browser.open(master + "/#/frameworks/" + framework);
    browser.waitForText(By.id("framework-id"), framework);
    browser.waitForText(By.cssSelector("section.tasks"), TASK);
    browser.screenshot("framework");
    WebElement filter = browser.driver.findElement(By.cssSelector("section.tasks input.filter"));
    filter.sendKeys("no-such-task");
    browser.waitForText(By.cssSelector("section.tasks"), "No task matches the filter.");
    filter.sendKeys(Keys.chord(Keys.CONTROL, "a"), "webui");
    browser.waitForText(By.cssSelector("section.tasks tr.task-row"), TASK);

    browser.open(master + "/#/frameworks/" + framework + "/tasks/" + TASK);
    browser.waitForText(By.id("task-state"), "RUNNING");
    browser.waitForText(By.cssSelector("table.statuses"), "RUNNING");

    browser.open(master + "/#/offers");
    browser.waitForText(By.id("offers-table"), agent);
    browser.open(master + "/#/roles");
    browser.waitForText(By.cssSelector("#roles-table tbody"), "*");

    browser.open(master + "/#/agents/" + agent + "/frameworks/" + framework + "/executors/" + TASK + "/browse");
    browser.waitForText(By.id("files"), "stdout");
    browser.screenshot("sandbox");
    browser.driver.findElement(By.linkText("stdout")).click();
    browser.waitForText(By.id("file-content"), MARKER);
    assertThat(browser.driver.getCurrentUrl()).contains("#/agents/" + agent + "/view?path=");
    Files.createFile(sandbox().resolve("go"));
    browser.waitForText(By.id("file-content"), FOLLOWED);
    browser.screenshot("sandbox-stdout");
  }

  /** The task's sandbox, found under the cluster's work directory by its stdout. */
  private Path sandbox() throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(work)) {
      return files.filter(p -> p.endsWith("stdout") && p.toString().contains("/executors/" + TASK + "/runs/"))
          .findFirst().orElseThrow().getParent();
    }
  }

  private void launch(Offer offer, String command) throws Exception {
    TaskInfo task = TaskInfo.newBuilder()
        .setName("webui")
        .setTaskId(TaskID.newBuilder().setValue(TASK))
        .setAgentId(offer.getAgentId())
        .addAllResources(offer.getResourcesList().stream()
            .filter(r -> r.getName().equals("cpus") || r.getName().equals("mem"))
            .map(r -> r.toBuilder().setScalar(r.getScalar().toBuilder()
                .setValue(r.getName().equals("cpus") ? 0.5 : 64)).build())
            .collect(Collectors.toList()))
        .setCommand(CommandInfo.newBuilder().setValue(command))
        .build();
    assertThat(scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId())
        .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
            .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task))))).status()).isEqualTo(202);
  }

  private void acknowledge(TaskStatus status) throws Exception {
    if (status.hasUuid()) {
      scheduler.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
          .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())));
    }
  }

  /** Kills the long task and waits (bounded) until it is reported killed, so no `sleep` outlives the test. */
  private void killTask() throws Exception {
    scheduler.call(Call.newBuilder().setType(Call.Type.KILL).setKill(Call.Kill.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(TASK)).setAgentId(agentId)));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Event event = scheduler.poll(1000);
      if (event != null && event.getType() == Event.Type.UPDATE) {
        TaskStatus status = event.getUpdate().getStatus();
        acknowledge(status);
        if (status.getState() == TaskState.TASK_KILLED) {
          return;
        }
      }
    }
    throw new AssertionError("Task " + TASK + " was not killed within 60 s");
  }
}
