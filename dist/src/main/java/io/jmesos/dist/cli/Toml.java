package io.jmesos.dist.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of TOML that Mesos' CLI configuration file uses: comments, {@code [table]} and {@code [a.b]}
 * headers, dotted keys, and values that are strings (basic or literal), booleans, integers, floats, arrays
 * (over several lines too) and inline tables. Tables are {@code Map<String, Object>}, arrays {@code
 * List<Object>}.
 */
final class Toml {
  private final String text;
  private int pos;
  private int line = 1;

  private Toml(String text) {
    this.text = text;
  }

  /** Parses a document into its root table; a syntax error is an {@link IllegalArgumentException}. */
  static Map<String, Object> parse(String text) {
    return new Toml(text).document();
  }

  private Map<String, Object> document() {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> current = root;
    while (true) {
      skipBlank(true);
      if (pos >= text.length()) {
        return root;
      }
      if (peek() == '[') {
        pos++;
        List<String> path = keyPath(']');
        expect(']');
        current = root;
        for (String key : path) {
          current = table(current, key);
        }
      } else {
        keyValue(current, '=');
      }
      endOfLine();
    }
  }

  private void keyValue(Map<String, Object> table, char separator) {
    List<String> path = keyPath(separator);
    expect(separator);
    skipBlank(false);
    Map<String, Object> target = table;
    for (String key : path.subList(0, path.size() - 1)) {
      target = table(target, key);
    }
    String last = path.get(path.size() - 1);
    if (target.containsKey(last)) {
      throw error("duplicate key '" + last + "'");
    }
    target.put(last, value());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> table(Map<String, Object> parent, String key) {
    Object existing = parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    if (!(existing instanceof Map)) {
      throw error("'" + key + "' is not a table");
    }
    return (Map<String, Object>) existing;
  }

  private List<String> keyPath(char end) {
    List<String> path = new ArrayList<>();
    while (true) {
      skipBlank(false);
      char c = peek();
      if (c == '"' || c == '\'') {
        path.add(string());
      } else {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '-')) {
          pos++;
        }
        if (start == pos) {
          throw error("expected a key");
        }
        path.add(text.substring(start, pos));
      }
      skipBlank(false);
      if (peek() != '.') {
        if (peek() != end) {
          throw error("expected '" + end + "'");
        }
        return path;
      }
      pos++;
    }
  }

  private Object value() {
    char c = peek();
    if (c == '"' || c == '\'') {
      return string();
    }
    if (c == '[') {
      pos++;
      List<Object> array = new ArrayList<>();
      while (true) {
        skipBlank(true);
        if (peek() == ']') {
          pos++;
          return array;
        }
        array.add(value());
        skipBlank(true);
        if (peek() == ',') {
          pos++;
        } else if (peek() != ']') {
          throw error("expected ',' or ']' in an array");
        }
      }
    }
    if (c == '{') {
      pos++;
      Map<String, Object> inline = new LinkedHashMap<>();
      skipBlank(false);
      while (peek() != '}') {
        keyValue(inline, '=');
        skipBlank(false);
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw error("expected ',' or '}' in an inline table");
        }
      }
      pos++;
      return inline;
    }
    int start = pos;
    while (pos < text.length() && "=,]}#\n\r \t".indexOf(peek()) < 0) {
      pos++;
    }
    String bare = text.substring(start, pos).replace("_", "");
    if (bare.equals("true") || bare.equals("false")) {
      return Boolean.valueOf(bare);
    }
    try {
      return Long.valueOf(bare);
    } catch (NumberFormatException e) {
      try {
        return Double.valueOf(bare);
      } catch (NumberFormatException e2) {
        throw error("invalid value '" + text.substring(start, pos) + "'");
      }
    }
  }

  private String string() {
    char quote = text.charAt(pos++);
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos >= text.length() || peek() == '\n') {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        return value.toString();
      }
      if (c == '\\' && quote == '"') {
        value.append(escape());
      } else {
        value.append(c);
      }
    }
  }

  private String escape() {
    char e = pos < text.length() ? text.charAt(pos++) : '?';
    switch (e) {
      case 'n': return "\n";
      case 't': return "\t";
      case 'r': return "\r";
      case 'b': return "\b";
      case 'f': return "\f";
      case '"': return "\"";
      case '\\': return "\\";
      case 'u':
      case 'U':
        int digits = e == 'u' ? 4 : 8;
        if (pos + digits > text.length()) {
          throw error("truncated unicode escape");
        }
        int code = Integer.parseInt(text.substring(pos, pos + digits), 16);
        pos += digits;
        return new String(Character.toChars(code));
      default:
        throw error("invalid escape '\\" + e + "'");
    }
  }

  /** Skips spaces, tabs and comments, and line ends too when {@code newlines}. */
  private void skipBlank(boolean newlines) {
    while (pos < text.length()) {
      char c = peek();
      if (c == '#') {
        while (pos < text.length() && peek() != '\n') {
          pos++;
        }
      } else if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
        if (c == '\n') {
          line++;
        }
        pos++;
      } else {
        return;
      }
    }
  }

  private void endOfLine() {
    skipBlank(false);
    if (pos < text.length()) {
      if (peek() != '\n') {
        throw error("expected the end of the line");
      }
      pos++;
      line++;
    }
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("line " + line + ": " + what);
  }
}
