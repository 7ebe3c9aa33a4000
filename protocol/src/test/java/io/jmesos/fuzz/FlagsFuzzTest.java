package io.jmesos.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jmesos.flags.Bytes;
import io.jmesos.flags.Durations;
import io.jmesos.flags.Flag;
import io.jmesos.flags.Flags;
import io.jmesos.flags.FlagsException;
import io.jmesos.resources.Attributes;
import io.jmesos.resources.Resources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * The flag parser and the value syntaxes behind it (durations, byte sizes, {@code --resources},
 * {@code --attributes}): any command line and environment give flags or a {@link FlagsException} (the value
 * parsers an {@link IllegalArgumentException}); never another exception, and no hang on values like
 * {@code 1e999999999secs}. {@code file://} values are left out: reading a named file is the operator's choice.
 */
@Timeout(120)
class FlagsFuzzTest {

  /** Input: lines; {@code NAME=value} lines are the environment, the others the command line. */
  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"--timeout=", "--size=", "--port=", "--no-", "MESOS_", "secs", "weeks", "ns", "e99999999",
      "e-99999999", "GB", "TB", "cpus:", "ports:[", "(role)", "[{\"name\":", ";", "{\"value\":"})
  void load(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8).replace("file://", "file:");
    List<String> args = new ArrayList<>();
    Map<String, String> env = new HashMap<>();
    for (String line : text.split("\n", -1)) {
      int equals = line.indexOf('=');
      if (line.startsWith("MESOS_") && equals > 0) {
        env.put(line.substring(0, equals), line.substring(equals + 1));
      } else {
        args.add(line);
      }
      String value = equals < 0 ? line : line.substring(equals + 1);
      values(value);
    }
    try {
      new TestFlags().load(args.toArray(new String[0]), env);
    } catch (FlagsException e) {
      // bad input, said so
    }
  }

  private static void values(String value) {
    try {
      Durations.parse(value);
    } catch (IllegalArgumentException e) {
      // bad input
    }
    try {
      Bytes.parse(value);
    } catch (IllegalArgumentException e) {
      // bad input
    }
    try {
      Resources.parse(value, "*");
    } catch (IllegalArgumentException e) {
      // bad input
    }
    try {
      Attributes.parse(value);
    } catch (IllegalArgumentException e) {
      // bad input
    }
  }

  /** One flag of each type, one with a validator, as a daemon declares them. */
  private static final class TestFlags extends Flags {
    TestFlags() {
      super("MESOS_");
      add(Flag.string("name").help("a string"));
      add(Flag.integer("port").defaultValue(5050).help("an integer")
          .validator(p -> p >= 0 && p < 65536 ? java.util.Optional.empty() : java.util.Optional.of("not a port")));
      add(Flag.int64("big").help("a 64-bit integer"));
      add(Flag.decimal("ratio").help("a decimal"));
      add(Flag.bool("quiet").defaultValue(false).help("a boolean"));
      add(Flag.duration("timeout").help("a duration").deprecatedName("old_timeout"));
      add(Flag.bytes("size").help("a byte size"));
    }
  }
}
