package io.jmesos.dist.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mesos config}: Mesos' config plugin. */
@Command(name = "config", description = "Interacts with the Mesos CLI configuration file",
    mixinStandardHelpOptions = true)
final class ConfigCommand {
  @ParentCommand
  MesosCli cli;

  @Command(name = "show", description = "Show the contents of the configuration file.",
      mixinStandardHelpOptions = true)
  int show() {
    CliConfig config = cli.config();
    if (!config.exists()) {
      throw new CliException("Unable to show the config file, '" + config.path() + "' does not exist");
    }
    try {
      cli.out.println(Files.readString(config.path(), StandardCharsets.UTF_8).stripTrailing());
    } catch (IOException e) {
      throw new CliException("Unable to read config file '" + config.path() + "': " + e.getMessage(), e);
    }
    return 0;
  }
}
