package io.jmesos.executor;

import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.CommandInfo;

/**
 * The argv Mesos runs for a {@link CommandInfo}: {@code <shell> -c value} for a shell command (the default),
 * else {@code value} executed with {@code arguments[1..]} ({@code arguments[0]} is argv[0], which Java cannot
 * set). Shared by the command executor, the agent's embedded one and the agent's executor launches.
 */
public final class CommandArgv {
  private CommandArgv() {}

  /** The argv of {@code command}, with {@code shell} as the shell of a shell command. */
  public static List<String> of(CommandInfo command, String shell) {
    List<String> argv = new ArrayList<>();
    if (!command.hasShell() || command.getShell()) {
      argv.add(shell);
      argv.add("-c");
      argv.add(command.getValue());
    } else {
      argv.add(command.getValue());
      List<String> arguments = command.getArgumentsList();
      argv.addAll(arguments.subList(Math.min(1, arguments.size()), arguments.size()));
    }
    return argv;
  }
}
