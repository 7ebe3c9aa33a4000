package io.jmesos.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * JSON for Mesos' HTTP APIs, following Mesos' own conventions rather than protobuf's canonical JSON
 * mapping.
 *
 * <p>Printing: proto field names (snake_case) as keys, in declaration order; enums by name;
 * {@code bytes} as standard base64; 64-bit integers as JSON numbers (unsigned values above
 * {@code Long.MAX_VALUE} as their unsigned decimal); repeated fields as arrays (omitted when empty);
 * map fields as objects. An unset optional field is omitted, except that, like Mesos, a singular
 * field with an explicit {@code [default = ...]} that is not deprecated is printed with its default.
 *
 * <p>Parsing accepts what Mesos accepts: snake_case names (the lowerCamelCase JSON name is accepted
 * as a fallback), enums by name, numbers as JSON numbers or strings, {@code null} as unset, a single
 * value for a repeated field, and unknown fields (ignored). An unknown enum name is dropped for an
 * optional or repeated field and is an error for a required one. Every required field must be set;
 * the error names the missing ones.
 *
 * <p>Parsing is bounded ({@link JsonLimits}): nesting depth, document, string and number sizes; and an
 * integer field refuses a number that would take long to expand, like {@code "1e999999999"}.
 *
 * <p>Thread-safe: all methods are static and share only an immutable, thread-safe
 * {@link ObjectMapper}.
 */
public final class MesosJson {

  private static final ObjectMapper MAPPER =
      JsonLimits.mapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private MesosJson() {}

  /** Prints {@code message} as compact JSON. */
  public static String print(MessageOrBuilder message) {
    try {
      return MAPPER.writeValueAsString(toTree(message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Failed to print " + message.getDescriptorForType(), e);
    }
  }

  /** Prints {@code message} as compact UTF-8 JSON. */
  public static byte[] printBytes(MessageOrBuilder message) {
    try {
      return MAPPER.writeValueAsBytes(toTree(message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Failed to print " + message.getDescriptorForType(), e);
    }
  }

  /** Converts {@code message} to a Jackson tree, e.g. to embed it in a larger document. */
  public static ObjectNode toTree(MessageOrBuilder message) {
    return JsonPrinter.toTree(Objects.requireNonNull(message, "message"));
  }

  /**
   * Merges the JSON object {@code json} into {@code builder} and returns the builder.
   *
   * @throws ParseException if the text is not a JSON object, a field has the wrong type or value,
   *     or a required field is missing; {@code builder} may then hold part of the input
   */
  public static <B extends Message.Builder> B parse(String json, B builder) {
    Objects.requireNonNull(json, "json");
    return fromTree(readTree(json.getBytes(StandardCharsets.UTF_8)), builder);
  }

  /** Like {@link #parse(String, Message.Builder)} for UTF-8 bytes. */
  public static <B extends Message.Builder> B parse(byte[] json, B builder) {
    Objects.requireNonNull(json, "json");
    return fromTree(readTree(json), builder);
  }

  /** Like {@link #parse(String, Message.Builder)} for an already parsed Jackson tree. */
  public static <B extends Message.Builder> B fromTree(JsonNode json, B builder) {
    Objects.requireNonNull(builder, "builder");
    if (json == null || !json.isObject()) {
      throw new ParseException(
          "Expecting a JSON object for " + builder.getDescriptorForType().getFullName()
              + ", got " + (json == null ? "nothing" : JsonParser.describe(json)));
    }
    JsonParser.merge((ObjectNode) json, builder, "");
    if (!builder.isInitialized()) {
      throw new ParseException(
          "Missing required fields: " + String.join(", ", builder.findInitializationErrors()));
    }
    return builder;
  }

  private static JsonNode readTree(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ParseException("Malformed JSON" + where + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ParseException("Malformed JSON: " + e.getMessage(), e);
    }
  }

  /** Thrown for JSON that is malformed or does not fit the message; the message names the field. */
  public static final class ParseException extends IllegalArgumentException {
    public ParseException(String message) {
      super(message);
    }

    public ParseException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
