package io.jmesos.agent.executors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data sharing archive (AppCDS) for the built-in command executor's JVM, kept in the agent's work
 * directory: the first command executor the agent starts runs with {@code -XX:DumpLoadedClassList}, which
 * writes the name of every class as it loads it; once that executor exited the agent builds a static archive
 * from the list ({@code java -Xshare:dump}, outside any container), and later executors map it with {@code
 * -XX:SharedArchiveFile} instead of loading and verifying those classes again. Executors started meanwhile do
 * without. The list is written as the executor runs, so an executor killed at its memory limit (a command
 * executor runs in its task's small container) still leaves it; an archive dumped by the executor itself as
 * it exits ({@code -XX:ArchiveClassesAtExit}) needs memory the container does not have and was lost to the
 * OOM killer. The file name carries a hash of the command, the JVM and the class path's jars (names, sizes,
 * times), so an upgrade makes a new archive; a JVM that cannot use an archive ignores it ({@code
 * -Xshare:auto}) and CDS warnings are switched off so they never reach a task's output.
 *
 * <p>Only a command that runs {@code java} with the command executor's main class on a class path of jars
 * gets an archive; any other command is returned unchanged. Thread-safe: launches ask on the actor, exits
 * report from a launcher thread, which also runs the dump (a second or two) without holding the lock.
 */
public final class CommandExecutorArchive {
  private static final Logger LOG = LoggerFactory.getLogger(CommandExecutorArchive.class);
  private static final int MAX_DUMP_ATTEMPTS = 3;

  /** What one launch runs: its argv, and whether it is the one that writes the archive. */
  static final class Launch {
    final List<String> argv;
    final boolean dumps;

    Launch(List<String> argv, boolean dumps) {
      this.argv = List.copyOf(argv);
      this.dumps = dumps;
    }
  }

  private enum State { NONE, DUMPING, READY, DISABLED }

  /** Builds an archive from a class list for a command; true when it wrote {@code archive}. */
  interface Dumper {
    boolean dump(List<String> command, Path classList, Path archive) throws IOException, InterruptedException;
  }

  private final Path archive;
  private final Path partial;
  private final Path classList;
  private final Dumper dumper;
  private State state;
  private int attempts;
  private List<String> dumpedCommand;

  private CommandExecutorArchive(Path archive, State state, Dumper dumper) {
    this.archive = archive;
    this.partial = archive == null ? null : archive.resolveSibling(archive.getFileName() + ".partial");
    this.classList = archive == null ? null : archive.resolveSibling(archive.getFileName() + ".classlist");
    this.dumper = dumper;
    this.state = state;
  }

  /** No archive: every launch runs the command as given. */
  public static CommandExecutorArchive disabled() {
    return new CommandExecutorArchive(null, State.DISABLED, null);
  }

  /** An archive in {@code workDir} for {@code command} when it is a java command of the command executor. */
  public static CommandExecutorArchive in(Path workDir, List<String> command) {
    return in(workDir, command, CommandExecutorArchive::staticDump);
  }

  static CommandExecutorArchive in(Path workDir, List<String> command, Dumper dumper) {
    if (!isJavaCommandExecutor(command)) {
      return disabled();
    }
    Path file = workDir.resolve("command-executor-" + fingerprint(command) + ".jsa");
    return new CommandExecutorArchive(file, Files.isRegularFile(file) ? State.READY : State.NONE, dumper);
  }

  /**
   * True for {@code java ... -cp <jars> ... MAIN_CLASS}: CDS archives only class paths made of jar files (a
   * JVM asked to archive a non-empty directory on its class path fails as it exits).
   */
  static boolean isJavaCommandExecutor(List<String> command) {
    if (command.isEmpty() || !command.get(0).endsWith("/java") || !command.contains(CommandExecutors.MAIN_CLASS)) {
      return false;
    }
    int cp = command.indexOf("-cp");
    if (cp < 0 || cp + 1 >= command.size()) {
      return false;
    }
    for (String entry : command.get(cp + 1).split(java.io.File.pathSeparator)) {
      if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
        return false;
      }
    }
    return true;
  }

  /** The archive's path, or null when disabled. */
  public Path file() {
    return archive;
  }

  synchronized Launch next(List<String> command) {
    switch (state) {
      case READY:
        return new Launch(withOptions(command, "-XX:SharedArchiveFile=" + archive), false);
      case NONE:
        state = State.DUMPING;
        attempts++;
        dumpedCommand = command;
        LOG.info("Listing the command executor's classes in {} for its class data archive", classList);
        return new Launch(withOptions(command, "-XX:DumpLoadedClassList=" + classList), true);
      default:
        return new Launch(command, false);
    }
  }

  /**
   * The executor that listed its classes has exited (on a launcher thread; blocking is fine): builds the
   * archive from the list, without holding the lock, so launches meanwhile go on without one.
   */
  void dumperExited() {
    List<String> command;
    synchronized (this) {
      if (state != State.DUMPING) {
        return;
      }
      command = dumpedCommand;
    }
    boolean dumped = false;
    String why = "no class list";
    try {
      if (Files.isRegularFile(classList) && Files.size(classList) > 0) {
        Files.deleteIfExists(partial);
        dumped = dumper.dump(command, classList, partial) && Files.isRegularFile(partial) && Files.size(partial) > 0;
        why = "the dump failed";
      }
    } catch (IOException e) {
      why = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why = "interrupted";
    }
    synchronized (this) {
      try {
        if (dumped) {
          Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          state = State.READY;
          LOG.info("Command executors now start with the class data archive {} ({} KiB)", archive,
              Files.size(archive) / 1024);
          return;
        }
      } catch (IOException e) {
        why = e.toString();
      }
      state = attempts < MAX_DUMP_ATTEMPTS ? State.NONE : State.DISABLED;
      LOG.warn("No class data archive for the command executor at {} ({}){}", archive, why,
          state == State.DISABLED ? "; giving up, executors start without one" : "; the next one will try again");
    }
  }

  /**
   * {@code java -Xshare:dump} with the command's JVM, options and class path, outside any container: the
   * static archive of the listed classes. Bounded to two minutes.
   */
  static boolean staticDump(List<String> command, Path classList, Path archive)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(command.get(0), "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
        "-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off"));
    // The options that shape the heap and the class path; -Xmx of a small executor is no bound for the dump.
    for (String arg : command.subList(1, command.indexOf(CommandExecutors.MAIN_CLASS))) {
      if (!arg.startsWith("-Xshare") && !arg.startsWith("-Xmx") && !arg.startsWith("-Xms")) {
        argv.add(arg);
      }
    }
    Process dump = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!dump.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
      dump.destroyForcibly();
      return false;
    }
    return dump.exitValue() == 0;
  }

  /** A failed launch of the dumping executor: let a later launch try. */
  synchronized void dumpFailed() {
    if (state == State.DUMPING) {
      state = attempts < MAX_DUMP_ATTEMPTS ? State.NONE : State.DISABLED;
    }
  }

  private static List<String> withOptions(List<String> command, String option) {
    List<String> argv = new ArrayList<>(command.size() + 2);
    argv.add(command.get(0));
    argv.add(option);
    argv.add("-Xlog:cds*=off");
    argv.addAll(command.subList(1, command.size()));
    return argv;
  }

  private static String fingerprint(List<String> command) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      update(digest, System.getProperty("java.vm.version", ""));
      for (String arg : command) {
        update(digest, arg);
      }
      int cp = command.indexOf("-cp");
      if (cp >= 0 && cp + 1 < command.size()) {
        for (String entry : command.get(cp + 1).split(java.io.File.pathSeparator)) {
          Path jar = Path.of(entry);
          try {
            update(digest, Files.size(jar) + "@" + Files.getLastModifiedTime(jar).toMillis());
          } catch (IOException e) {
            update(digest, "missing");
          }
        }
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }
}
