package io.jmesos.dist.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mesos framework}: Mesos' framework plugin. */
@Command(name = "framework", description = "Interacts with the Mesos Frameworks", mixinStandardHelpOptions = true)
final class FrameworkCommand {
  @ParentCommand
  MesosCli cli;

  @Command(name = "list", description = "List the Mesos frameworks.", mixinStandardHelpOptions = true)
  int list(@Option(names = {"-a", "--all"}, description = "include inactive frameworks") boolean all) {
    List<JsonNode> shown = new ArrayList<>();
    for (JsonNode framework : cli.cluster().frameworks()) {
      if (all || framework.path("active").asBoolean()) {
        shown.add(framework);
      }
    }
    if (cli.json) {
      cli.printJson(MesosHttp.JSON.valueToTree(shown));
      return 0;
    }
    Table table = new Table("ID", "Active", "Hostname", "Name");
    for (JsonNode framework : shown) {
      table.add(framework.path("id").asText(), AgentCommand.bool(framework.path("active")),
          framework.path("hostname").asText(), framework.path("name").asText());
    }
    cli.out.println(table);
    return 0;
  }

  @Command(name = "inspect", description = "Return low-level information on the framework.",
      mixinStandardHelpOptions = true)
  int inspect(@Parameters(paramLabel = "<framework_id>") String id) {
    for (JsonNode framework : cli.cluster().frameworks()) {
      if (framework.path("id").asText().equals(id)) {
        ObjectNode shown = ((ObjectNode) framework).deepCopy();
        // Left out as Mesos' CLI leaves them out: the task lists are what 'mesos task' is for.
        shown.remove(List.of("tasks", "unreachable_tasks", "completed_tasks"));
        cli.printJson(shown);
        return 0;
      }
    }
    throw new CliException("Unable to find framework '" + id + "'");
  }
}
