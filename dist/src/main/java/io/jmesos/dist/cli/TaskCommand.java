package io.jmesos.dist.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesos task}: Mesos' task plugin ({@code list}, {@code inspect}) and {@code log}. */
@Command(name = "task", description = "Interacts with the tasks running in a Mesos cluster",
    mixinStandardHelpOptions = true)
final class TaskCommand {
  @ParentCommand
  MesosCli cli;

  @Command(name = "list", description = "List all running tasks in a Mesos cluster",
      mixinStandardHelpOptions = true)
  int list(@Option(names = {"-a", "--all"}, description = "list all tasks, not only running") boolean all) {
    List<JsonNode> tasks = cli.cluster().tasks(null);
    List<JsonNode> shown = new ArrayList<>();
    for (JsonNode task : tasks) {
      if (all || Cluster.state(task).equals("TASK_RUNNING")) {
        shown.add(task);
      }
    }
    if (cli.json) {
      cli.printJson(MesosHttp.JSON.valueToTree(shown));
      return 0;
    }
    if (tasks.isEmpty()) {
      cli.out.println("There are no tasks running in the cluster.");
      return 0;
    }
    Table table = new Table("ID", "State", "Framework ID", "Executor ID");
    for (JsonNode task : shown) {
      table.add(task.path("id").asText(), Cluster.state(task), task.path("framework_id").asText(),
          task.path("executor_id").asText());
    }
    cli.out.println(table);
    return 0;
  }

  @Command(name = "inspect", description = "Return low-level information on the task",
      mixinStandardHelpOptions = true)
  int inspect(@Parameters(paramLabel = "<task_id>") String id) {
    cli.printJson(cli.cluster().task(id));
    return 0;
  }

  @Command(name = "log", description = "Print a task's stdout or stderr, read from its sandbox on its agent",
      mixinStandardHelpOptions = true)
  int log(@Parameters(paramLabel = "<task_id>") String id,
      @Option(names = "--file", defaultValue = "stdout", paramLabel = "stdout|stderr",
          description = "The sandbox file to print (default: ${DEFAULT-VALUE})") String file,
      @Option(names = {"-f", "--follow"},
          description = "Keep printing what the task writes until it is terminal (or Ctrl-C)") boolean follow,
      @Option(names = "--poll_interval", defaultValue = "1", paramLabel = "SECONDS", hidden = true,
          description = "How often --follow reads again") double interval) {
    if (!file.equals("stdout") && !file.equals("stderr")) {
      throw new CliException("--file must be 'stdout' or 'stderr', not '" + file + "'");
    }
    Duration every = Duration.ofMillis(Math.max(10, Math.round(interval * 1000)));
    new TaskLog(cli.cluster(), cli.out).print(id, file, follow, every);
    return 0;
  }
}
