package io.jmesos.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FlagsTest {

  /** Declared the way a daemon declares its flags. */
  static final class TestFlags extends Flags {
    final Flag<Integer> port = add(Flag.integer("port").defaultValue(5050)
        .help("Port to listen on")
        .validator(p -> p > 0 && p < 65536 ? Optional.empty() : Optional.of("not a port: " + p)));
    final Flag<String> workDir = add(Flag.string("work_dir").required()
        .help("Where to keep state"));
    final Flag<Boolean> checkpoint = add(Flag.bool("checkpoint").defaultValue(false)
        .help("Whether to checkpoint"));
    final Flag<Duration> timeout = add(Flag.duration("offer_timeout")
        .help("When to rescind offers;\nunset means never"));
    final Flag<Long> memory = add(Flag.bytes("memory").defaultValue(512 * Bytes.MB)
        .help("Memory | limit"));
    final Flag<Double> weight = add(Flag.decimal("weight").defaultValue(1.5).help("Weight"));
    final Flag<Long> epoch = add(Flag.int64("epoch").help("Epoch"));
  }

  private static TestFlags load(Map<String, String> env, String... args) {
    TestFlags flags = new TestFlags();
    flags.load(args, env);
    return flags;
  }

  @Test
  void loadsTypedValuesFromTheCommandLine() {
    TestFlags flags = load(Map.of(), "--port=5051", "--work_dir=/tmp/w", "--checkpoint",
        "--offer-timeout=2mins", "--memory=1GB", "--weight=0.25", "--epoch=9007199254740993");

    assertThat(flags.get(flags.port)).isEqualTo(5051);
    assertThat(flags.get(flags.workDir)).isEqualTo("/tmp/w");
    assertThat(flags.get(flags.checkpoint)).isTrue();
    assertThat(flags.get(flags.timeout)).isEqualTo(Duration.ofMinutes(2));
    assertThat(flags.get(flags.memory)).isEqualTo(Bytes.GB);
    assertThat(flags.get(flags.weight)).isEqualTo(0.25);
    assertThat(flags.get(flags.epoch)).isEqualTo(9007199254740993L);
    assertThat(flags.isSet(flags.port)).isTrue();
    assertThat(flags.helpRequested()).isFalse();
  }

  @Test
  void defaultsApplyAndOptionalFlagsMayBeAbsent() {
    TestFlags flags = load(Map.of(), "--work_dir=/w");

    assertThat(flags.get(flags.port)).isEqualTo(5050);
    assertThat(flags.isSet(flags.port)).isFalse();
    assertThat(flags.find(flags.timeout)).isEmpty();
    assertThatThrownBy(() -> flags.get(flags.timeout))
        .isInstanceOf(NoSuchElementException.class).hasMessageContaining("offer_timeout");
  }

  @Test
  void booleanForms() {
    TestFlags negated = load(Map.of(), "--work_dir=w", "--no-checkpoint");
    assertThat(negated.get(negated.checkpoint)).isFalse();
    assertThat(negated.isSet(negated.checkpoint)).isTrue();
    TestFlags explicit = load(Map.of(), "--work_dir=w", "--checkpoint=true");
    assertThat(explicit.get(explicit.checkpoint)).isTrue();
    TestFlags zero = load(Map.of(), "--work_dir=w", "--checkpoint=0");
    assertThat(zero.get(zero.checkpoint)).isFalse();
  }

  @Test
  void environmentAppliesUnlessTheCommandLineSaysOtherwise() {
    Map<String, String> env = Map.of("MESOS_PORT", "6000", "MESOS_WORK_DIR", "/env",
        "MESOS_UNKNOWN_THING", "ignored", "PATH", "/bin");

    TestFlags fromEnv = load(env);
    TestFlags overridden = load(env, "--port=7000");

    assertThat(fromEnv.get(fromEnv.port)).isEqualTo(6000);
    assertThat(fromEnv.get(fromEnv.workDir)).isEqualTo("/env");
    assertThat(overridden.get(overridden.port)).isEqualTo(7000);
    assertThat(overridden.get(overridden.workDir)).isEqualTo("/env");
  }

  @Test
  void environmentPrefixIsConfigurable() {
    Flags flags = new Flags("JMESOS_");
    Flag<String> name = flags.add(Flag.string("name").defaultValue("x"));

    flags.load(new String[0], Map.of("JMESOS_NAME", "y", "MESOS_NAME", "z"));

    assertThat(flags.get(name)).isEqualTo("y");
  }

  @Test
  void deprecatedNamesAreAccepted() {
    Flags flags = new Flags();
    Flag<Duration> timeout = flags.add(Flag.duration("agent_ping_timeout")
        .deprecatedName("slave_ping_timeout").defaultValue(Duration.ofSeconds(15)));
    Flag<Boolean> flag = flags.add(Flag.bool("agent_flag").deprecatedName("slave_flag")
        .defaultValue(true));

    flags.load(new String[] {"--slave_ping_timeout=30secs", "--no-slave_flag"}, Map.of());

    assertThat(flags.get(timeout)).isEqualTo(Duration.ofSeconds(30));
    assertThat(flags.get(flag)).isFalse();
    Flags env = new Flags();
    Flag<Duration> fromEnv = env.add(Flag.duration("agent_ping_timeout")
        .deprecatedName("slave_ping_timeout"));
    env.load(new String[0], Map.of("MESOS_SLAVE_PING_TIMEOUT", "1mins"));
    assertThat(env.get(fromEnv)).isEqualTo(Duration.ofMinutes(1));
    Flags both = new Flags();
    both.add(Flag.string("agent_x").deprecatedName("slave_x"));
    assertThatThrownBy(() -> both.load(new String[] {"--agent_x=1", "--slave_x=2"}, Map.of()))
        .isInstanceOf(FlagsException.class).hasMessageContaining("more than once");
    assertThatThrownBy(() -> both.add(Flag.string("slave_x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declared twice");
  }

  @Test
  void unknownFlagsUseMesosWording() {
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--foo=1"))
        .isInstanceOf(FlagsException.class).hasMessage("Failed to load unknown flag 'foo'");
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--no-foo"))
        .isInstanceOf(FlagsException.class)
        .hasMessage("Failed to load unknown flag 'foo' via 'no-foo'");
  }

  @Test
  void badValuesNameTheFlag() {
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--port=http"))
        .isInstanceOf(FlagsException.class)
        .hasMessageStartingWith("Failed to load flag 'port': Failed to load value 'http'");
    assertThatThrownBy(() -> load(Map.of("MESOS_PORT", "x"), "--work_dir=w"))
        .isInstanceOf(FlagsException.class)
        .hasMessageStartingWith("Failed to load flag 'port' from environment variable MESOS_PORT");
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--offer_timeout=5s"))
        .isInstanceOf(FlagsException.class).hasMessageContaining("offer_timeout")
        .hasMessageContaining("Invalid duration '5s'");
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--checkpoint=maybe"))
        .isInstanceOf(FlagsException.class).hasMessageContaining("checkpoint");
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--port=70000"))
        .isInstanceOf(FlagsException.class)
        .hasMessage("Failed to validate flag 'port': not a port: 70000");
  }

  @Test
  void syntaxErrors() {
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--port"))
        .isInstanceOf(FlagsException.class).hasMessageContaining("non-boolean flag 'port'");
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--no-port"))
        .isInstanceOf(FlagsException.class).hasMessageContaining("non-boolean flag 'port'");
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--no-checkpoint=true"))
        .isInstanceOf(FlagsException.class).hasMessageContaining("boolean flag 'checkpoint'");
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--port", "5050"))
        .isInstanceOf(FlagsException.class);
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "stray"))
        .isInstanceOf(FlagsException.class).hasMessageContaining("Unexpected argument 'stray'");
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=w", "--port=1", "--port=2"))
        .isInstanceOf(FlagsException.class).hasMessageContaining("more than once");
  }

  @Test
  void requiredFlagsMustBeGivenUnlessHelpIsAsked() {
    assertThatThrownBy(() -> load(Map.of()))
        .isInstanceOf(FlagsException.class)
        .hasMessage("Flag 'work_dir' is required, but it was not provided");

    TestFlags help = load(Map.of(), "--help");
    assertThat(help.helpRequested()).isTrue();
  }

  @Test
  void valuesMayComeFromFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("work_dir");
    Files.write(file, "/from/file\n".getBytes(StandardCharsets.UTF_8));

    TestFlags flags = load(Map.of(), "--work_dir=file://" + file);

    assertThat(flags.get(flags.workDir)).isEqualTo("/from/file");
    assertThatThrownBy(() -> load(Map.of(), "--work_dir=file://" + dir.resolve("missing")))
        .isInstanceOf(FlagsException.class).hasMessageContaining("work_dir");
  }

  @Test
  void pathFlagsNameTheFileInsteadOfReadingIt(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("credentials"), "{}");
    Flags url = new Flags();
    Flag<String> credentials = url.add(Flag.path("credentials"));
    url.load(new String[] {"--credentials=file://" + file}, Map.of());
    assertThat(url.get(credentials)).isEqualTo(file.toString());
    Flags plain = new Flags();
    Flag<String> path = plain.add(Flag.path("credentials"));
    plain.load(new String[] {"--credentials=" + dir.resolve("not-there-yet")}, Map.of());
    assertThat(plain.get(path)).isEqualTo(dir.resolve("not-there-yet").toString());
    assertThat(credentials.type()).isEqualTo("path");
  }

  @Test
  void declarationsAreChecked() {
    Flags flags = new Flags();
    flags.add(Flag.string("name"));

    assertThatThrownBy(() -> flags.add(Flag.string("name")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declared twice");
    assertThatThrownBy(() -> Flag.string("Bad-Name"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> flags.add(Flag.integer("n").defaultValue(1).required()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot have a default");
    assertThatThrownBy(() -> flags.get(new TestFlags().port))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not declared here");
  }

  @Test
  void usageListsEveryFlagSortedWithDefaults() {
    String usage = new TestFlags().usage("mesos-test");

    assertThat(usage).isEqualTo(String.join("\n",
        "Usage: mesos-test [options]",
        "",
        "  --[no-]checkpoint      Whether to checkpoint (default: false)",
        "  --epoch=VALUE          Epoch",
        "  --[no-]help            Prints this help message (default: false)",
        "  --memory=VALUE         Memory | limit (default: 512MB)",
        "  --offer_timeout=VALUE  When to rescind offers;",
        "                         unset means never",
        "  --port=VALUE           Port to listen on (default: 5050)",
        "  --weight=VALUE         Weight (default: 1.5)",
        "  --work_dir=VALUE       Where to keep state (required)",
        ""));
  }

  @Test
  void markdownTable() {
    String markdown = new TestFlags().markdown();

    assertThat(markdown).startsWith("| Flag | Type | Default | Description |\n|------|");
    assertThat(markdown).contains("| `--port` | int | `5050` | Port to listen on |\n");
    assertThat(markdown).contains("| `--memory` | bytes | `512MB` | Memory \\| limit |\n");
    assertThat(markdown).contains(
        "| `--offer_timeout` | duration |  | When to rescind offers; unset means never |\n");
    assertThat(markdown).contains("| `--work_dir` | string | required | Where to keep state |\n");
  }

  @Test
  void describeRendersValuesInFlagSyntax() {
    TestFlags flags = load(Map.of(), "--work_dir=w", "--offer_timeout=90secs");

    assertThat(flags.describe()).contains("--offer_timeout=1.5mins", "--memory=512MB",
        "--work_dir=w", "--port=5050");
  }

  @Test
  void refusesAFlagFileLargerThanTheBound(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path big = dir.resolve("big");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      file.setLength(Flags.MAX_FILE_BYTES + 1L); // sparse: costs no disk
    }
    Flags flags = new Flags();
    Flag<String> value = flags.add(Flag.string("value"));
    assertThatThrownBy(() -> flags.load(new String[] {"--value=file://" + big}, Map.of()))
        .isInstanceOf(FlagsException.class).hasMessageContaining("is larger than");
    assertThat(flags.find(value)).isEmpty();
  }
}
