package io.jmesos.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import io.jmesos.json.MesosJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A JSON-valued flag ({@code --acls}, {@code --rate_limits}) as stout reads one: the JSON inline, or a value
 * starting with {@code /} naming a file that holds it ({@code file://} values are resolved by the flags already),
 * parsed into a protobuf message in Mesos' JSON conventions. Errors name the flag's subject ({@code what}, e.g.
 * "ACLs"). Stateless.
 */
public final class JsonFlagValues {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonFlagValues() {}

  /**
   * Fills {@code builder} from {@code value}.
   *
   * @throws IllegalArgumentException naming what is wrong: an unreadable file, malformed JSON (line and column),
   *     not an object, a field of the wrong type
   */
  public static <B extends Message.Builder> B read(String value, String what, B builder) {
    String text = value;
    if (value.startsWith("/")) {
      try {
        text = Files.readString(Path.of(value), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("Failed to read " + what + " file '" + value
            + "': No such file or directory", e);
      } catch (IOException e) {
        throw new IllegalArgumentException("Failed to read " + what + " file '" + value + "': " + e.getMessage(), e);
      }
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new IllegalArgumentException("Failed to parse " + what + ": malformed JSON" + where, e);
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("Failed to parse " + what + ": expecting a JSON object");
    }
    try {
      return MesosJson.fromTree(json, builder);
    } catch (MesosJson.ParseException e) {
      throw new IllegalArgumentException("Failed to parse " + what + ": " + e.getMessage(), e);
    }
  }
}
