package io.jmesos.dist.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mesos agent}: Mesos' agent plugin. */
@Command(name = "agent", description = "Interacts with the Mesos agents", mixinStandardHelpOptions = true)
final class AgentCommand {
  @ParentCommand
  MesosCli cli;

  @Command(name = "list", description = "List the Mesos agents.", mixinStandardHelpOptions = true)
  int list() {
    List<JsonNode> agents = cli.cluster().agents();
    if (cli.json) {
      cli.printJson(MesosHttp.JSON.valueToTree(agents));
      return 0;
    }
    if (agents.isEmpty()) {
      cli.out.println("The cluster does not have any agents.");
      return 0;
    }
    Table table = new Table("Agent ID", "Hostname", "Active");
    for (JsonNode agent : agents) {
      table.add(agent.path("id").asText(), agent.path("hostname").asText(), bool(agent.path("active")));
    }
    cli.out.println(table);
    return 0;
  }

  /** A boolean as Mesos' (Python) CLI prints one. */
  static String bool(JsonNode value) {
    return value.asBoolean() ? "True" : "False";
  }
}
