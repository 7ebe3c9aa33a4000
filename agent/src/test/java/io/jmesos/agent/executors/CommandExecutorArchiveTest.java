package io.jmesos.agent.executors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandExecutorArchiveTest {
  @TempDir
  Path tmp;

  private List<String> javaCommand() throws Exception {
    Path a = Files.write(tmp.resolve("a.jar"), new byte[] {1});
    Path b = Files.write(tmp.resolve("b.jar"), new byte[] {2});
    return List.of("/usr/bin/java", "-cp", a + ":" + b, "-Xmx64m", CommandExecutors.MAIN_CLASS);
  }

  @Test
  void firstLaunchDumpsOthersWaitThenAllMapTheArchive() throws Exception {
    List<String> command = javaCommand();
    List<List<String>> dumps = new java.util.ArrayList<>();
    CommandExecutorArchive archive = CommandExecutorArchive.in(tmp, command, (cmd, list, out) -> {
      dumps.add(List.of(String.join(" ", cmd), Files.readString(list), out.toString()));
      Files.write(out, new byte[] {42});
      return true;
    });
    Path file = archive.file();
    assertThat(file.getParent()).isEqualTo(tmp);
    assertThat(file.getFileName().toString()).matches("command-executor-[0-9a-f]{16}\\.jsa");

    CommandExecutorArchive.Launch first = archive.next(command);
    CommandExecutorArchive.Launch second = archive.next(command);

    assertThat(first.dumps).isTrue();
    assertThat(first.argv).startsWith("/usr/bin/java", "-XX:DumpLoadedClassList=" + file + ".classlist")
        .endsWith(CommandExecutors.MAIN_CLASS);
    assertThat(second.dumps).isFalse();
    assertThat(second.argv).isEqualTo(command);

    // The executor listed its classes (and may have been killed at its memory limit as it exited).
    Files.writeString(Path.of(file + ".classlist"), "java/lang/Object\n");
    archive.dumperExited();
    CommandExecutorArchive.Launch third = archive.next(command);

    assertThat(dumps).containsExactly(List.of(String.join(" ", command), "java/lang/Object\n", file + ".partial"));
    assertThat(file).exists();
    assertThat(third.argv).contains("-XX:SharedArchiveFile=" + file);
    assertThat(CommandExecutorArchive.in(tmp, command).next(command).argv)
        .as("an agent restarted on the same work_dir reuses it").contains("-XX:SharedArchiveFile=" + file);
  }

  @Test
  void aDumperThatLeftNothingLetsTheNextLaunchTryAgain() throws Exception {
    List<String> command = javaCommand();
    CommandExecutorArchive archive = CommandExecutorArchive.in(tmp, command);
    assertThat(archive.next(command).dumps).isTrue();

    archive.dumperExited();

    assertThat(archive.next(command).dumps).isTrue();
  }

  @Test
  void changedJarsGetAnotherArchive() throws Exception {
    List<String> command = javaCommand();
    Path before = CommandExecutorArchive.in(tmp, command).file();
    Files.write(tmp.resolve("a.jar"), new byte[] {1, 2, 3});

    assertThat(CommandExecutorArchive.in(tmp, command).file()).isNotEqualTo(before);
  }

  @Test
  void otherCommandsAndDirectoryClassPathsAreLeftAlone() throws Exception {
    List<String> shell = List.of("/bin/sh", "-c", "exec my-executor");
    List<String> dirs = List.of("/usr/bin/java", "-cp", tmp.toString(), CommandExecutors.MAIN_CLASS);

    assertThat(CommandExecutorArchive.in(tmp, shell).next(shell).argv).isEqualTo(shell);
    assertThat(CommandExecutorArchive.in(tmp, dirs).next(dirs).argv).isEqualTo(dirs);
    assertThat(CommandExecutorArchive.in(tmp, dirs).file()).isNull();
  }
}
