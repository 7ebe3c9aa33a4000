package io.jmesos.flags;

import java.util.Collection;

/** Renders flags as {@code --help} text and as a Markdown table. Stateless and thread-safe. */
final class FlagsUsage {

  /** Help text starts in this column unless a flag's name is longer. */
  private static final int MAX_COLUMN = 36;

  private FlagsUsage() {}

  static String usage(String programName, Collection<Flag<?>> flags) {
    int column = 0;
    for (Flag<?> flag : flags) {
      column = Math.max(column, header(flag).length() + 2);
    }
    column = Math.min(column, MAX_COLUMN);
    StringBuilder text = new StringBuilder("Usage: ").append(programName).append(" [options]\n\n");
    for (Flag<?> flag : flags) {
      String header = header(flag);
      text.append(header);
      String[] lines = (flag.help() + suffix(flag)).trim().split("\n");
      if (header.length() + 1 > column) {
        text.append('\n').append(" ".repeat(column));
      } else {
        text.append(" ".repeat(column - header.length()));
      }
      for (int i = 0; i < lines.length; i++) {
        text.append(i == 0 ? "" : " ".repeat(column)).append(lines[i].trim()).append('\n');
      }
    }
    return text.toString();
  }

  private static String header(Flag<?> flag) {
    return flag.isBoolean() ? "  --[no-]" + flag.name() : "  --" + flag.name() + "=VALUE";
  }

  private static String suffix(Flag<?> flag) {
    if (flag.isRequired()) {
      return " (required)";
    }
    return flag.defaultText().map(value -> " (default: " + value + ")").orElse("");
  }

  static String markdown(Collection<Flag<?>> flags) {
    StringBuilder text = new StringBuilder("| Flag | Type | Default | Description |\n")
        .append("|------|------|---------|-------------|\n");
    for (Flag<?> flag : flags) {
      String defaultValue = flag.isRequired()
          ? "required"
          : flag.defaultText().map(value -> "`" + value + "`").orElse("");
      text.append("| `--").append(flag.name()).append("` | ").append(flag.type()).append(" | ")
          .append(escape(defaultValue)).append(" | ").append(escape(flag.help().trim()))
          .append(" |\n");
    }
    return text.toString();
  }

  private static String escape(String cell) {
    return cell.replace("|", "\\|").replaceAll("\\s*\n\\s*", " ");
  }
}
