package io.jmesos.agent.containers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start for a container: the argv, the complete environment, the working directory (the sandbox) and
 * the files that receive stdout and stderr. Immutable.
 */
public final class LaunchSpec {
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path workingDirectory;
  private final Path stdout;
  private final Path stderr;

  public LaunchSpec(List<String> command, Map<String, String> environment, Path workingDirectory, Path stdout,
      Path stderr) {
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
    this.stdout = Objects.requireNonNull(stdout, "stdout");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
    if (this.command.isEmpty()) {
      throw new IllegalArgumentException("Empty command");
    }
  }

  public List<String> command() {
    return command;
  }

  public Map<String, String> environment() {
    return environment;
  }

  public Path workingDirectory() {
    return workingDirectory;
  }

  public Path stdout() {
    return stdout;
  }

  public Path stderr() {
    return stderr;
  }
}
