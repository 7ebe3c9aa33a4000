package io.jmesos.agent.containers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start for a container: the argv, the complete environment, the working directory (the sandbox),
 * the files that receive stdout and stderr, and optionally the {@code cgroup.procs} files the process joins
 * and the user it runs as, both before the command runs, and the file the container's supervisor records the
 * command's wait status in. Immutable.
 */
public final class LaunchSpec {
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path workingDirectory;
  private final Path stdout;
  private final Path stderr;
  private final List<Path> cgroupProcs;
  private final List<Path> commandCgroupProcs;
  private final RunAs user;
  private final Path statusFile;

  public LaunchSpec(List<String> command, Map<String, String> environment, Path workingDirectory, Path stdout,
      Path stderr) {
    this(command, environment, workingDirectory, stdout, stderr, List.of(), List.of(), null, null);
  }

  private LaunchSpec(List<String> command, Map<String, String> environment, Path workingDirectory, Path stdout,
      Path stderr, List<Path> cgroupProcs, List<Path> commandCgroupProcs, RunAs user, Path statusFile) {
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
    this.stdout = Objects.requireNonNull(stdout, "stdout");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
    this.cgroupProcs = List.copyOf(cgroupProcs);
    this.commandCgroupProcs = List.copyOf(commandCgroupProcs);
    this.user = user;
    this.statusFile = statusFile;
    if (this.command.isEmpty()) {
      throw new IllegalArgumentException("Empty command");
    }
  }

  /** This spec, its process joining the cgroups whose {@code cgroup.procs} files are given. */
  public LaunchSpec withCgroups(List<Path> procsFiles) {
    return withCgroups(procsFiles, List.of());
  }

  /**
   * This spec, its process joining the cgroups of {@code procsFiles} and its command also those of
   * {@code commandOnly}: under a supervisor ({@link #withStatusFile}) the supervisor stays out of the latter;
   * without one, the process joins both.
   */
  public LaunchSpec withCgroups(List<Path> procsFiles, List<Path> commandOnly) {
    return new LaunchSpec(command, environment, workingDirectory, stdout, stderr, procsFiles, commandOnly, user,
        statusFile);
  }

  /** This spec, run as the given user (null: the agent's). */
  public LaunchSpec withUser(RunAs runAs) {
    return new LaunchSpec(command, environment, workingDirectory, stdout, stderr, cgroupProcs, commandCgroupProcs,
        runAs, statusFile);
  }

  /**
   * This spec, its first process a supervisor that runs the command as its child and records the command's
   * wait status in the given file when it exits (null: no supervisor, the first process is the command).
   */
  public LaunchSpec withStatusFile(Path file) {
    return new LaunchSpec(command, environment, workingDirectory, stdout, stderr, cgroupProcs, commandCgroupProcs,
        user, file);
  }

  /** The {@code cgroup.procs} files the process writes its pid to before the command runs. */
  public List<Path> cgroupProcs() {
    return cgroupProcs;
  }

  /** The {@code cgroup.procs} files the command joins and a supervisor does not (see {@link #withCgroups}). */
  public List<Path> commandCgroupProcs() {
    return commandCgroupProcs;
  }

  /** The user to switch to before the command runs, or null to stay the agent's user. */
  public RunAs user() {
    return user;
  }

  /** Where the supervisor records the command's wait status, or null when the command runs unsupervised. */
  public Path statusFile() {
    return statusFile;
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
