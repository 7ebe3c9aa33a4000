package io.jmesos.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.jmesos.json.MesosJson.ParseException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/** Jackson tree into a message builder in Mesos' JSON conventions; see {@link MesosJson}. */
final class JsonParser {

  /** Returned for a value that is dropped, like an unknown enum name in an optional field. */
  private static final Object SKIP = new Object();

  private static final BigInteger UINT32_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
  /** More digits than any 64-bit integer has, by far. */
  private static final int MAX_INTEGER_DIGITS = 40;
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private JsonParser() {}

  static void merge(ObjectNode object, Message.Builder builder, String prefix) {
    Descriptor type = builder.getDescriptorForType();
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      FieldDescriptor field = find(type, entry.getKey());
      JsonNode value = entry.getValue();
      if (field == null || value.isNull()) {
        continue; // Unknown fields are ignored and null means unset, as in Mesos.
      }
      String path = prefix.isEmpty() ? field.getName() : prefix + "." + field.getName();
      if (field.isMapField()) {
        mergeMap(value, builder, field, path);
      } else if (field.isRepeated()) {
        if (value.isArray()) {
          for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isNull()) {
              add(builder, field, single(builder, field, value.get(i), path + "[" + i + "]"));
            }
          }
        } else {
          add(builder, field, single(builder, field, value, path));
        }
      } else if (value.isArray()) {
        throw error(path, "Not expecting a JSON array");
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        Message.Builder sub = builder.newBuilderForField(field);
        if (builder.hasField(field)) {
          sub.mergeFrom((Message) builder.getField(field));
        }
        builder.setField(field, message(sub, value, path));
      } else {
        Object parsed = single(builder, field, value, path);
        if (parsed != SKIP) {
          builder.setField(field, parsed);
        }
      }
    }
  }

  private static FieldDescriptor find(Descriptor type, String name) {
    FieldDescriptor field = type.findFieldByName(name);
    if (field != null) {
      return field;
    }
    for (FieldDescriptor candidate : type.getFields()) {
      if (candidate.getJsonName().equals(name)) {
        return candidate;
      }
    }
    return null;
  }

  private static void add(Message.Builder builder, FieldDescriptor field, Object value) {
    if (value != SKIP) {
      builder.addRepeatedField(field, value);
    }
  }

  private static void mergeMap(
      JsonNode value, Message.Builder builder, FieldDescriptor field, String path) {
    if (value.isArray()) { // The list-of-entries form is accepted too.
      for (int i = 0; i < value.size(); i++) {
        add(builder, field, single(builder, field, value.get(i), path + "[" + i + "]"));
      }
      return;
    }
    if (!value.isObject()) {
      throw error(path, "Expecting a JSON object for a map, got " + describe(value));
    }
    Descriptor entryType = field.getMessageType();
    FieldDescriptor keyField = entryType.findFieldByNumber(1);
    FieldDescriptor valueField = entryType.findFieldByNumber(2);
    Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> json = entries.next();
      String entryPath = path + "[" + json.getKey() + "]";
      Message.Builder entry = builder.newBuilderForField(field);
      entry.setField(keyField, scalar(keyField, TextNode.valueOf(json.getKey()), entryPath));
      if (!json.getValue().isNull()) {
        Object parsed = single(entry, valueField, json.getValue(), entryPath);
        if (parsed != SKIP) {
          entry.setField(valueField, parsed);
        }
      }
      builder.addRepeatedField(field, entry.buildPartial());
    }
  }

  private static Object single(
      Message.Builder parent, FieldDescriptor field, JsonNode value, String path) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return message(parent.newBuilderForField(field), value, path);
    }
    return scalar(field, value, path);
  }

  private static Message message(Message.Builder builder, JsonNode value, String path) {
    if (!value.isObject()) {
      throw error(path, "Expecting a JSON object, got " + describe(value));
    }
    merge((ObjectNode) value, builder, path);
    return builder.buildPartial(); // Required fields are checked once, at the top.
  }

  private static Object scalar(FieldDescriptor field, JsonNode value, String path) {
    switch (field.getType()) {
      case INT32:
      case SINT32:
      case SFIXED32:
        return integer(value, path, BigInteger.valueOf(Integer.MIN_VALUE),
            BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
      case UINT32:
      case FIXED32:
        return integer(value, path, BigInteger.ZERO, UINT32_MAX).intValue();
      case INT64:
      case SINT64:
      case SFIXED64:
        return integer(value, path, BigInteger.valueOf(Long.MIN_VALUE),
            BigInteger.valueOf(Long.MAX_VALUE)).longValue();
      case UINT64:
      case FIXED64:
        return integer(value, path, BigInteger.ZERO, UINT64_MAX).longValue();
      case FLOAT:
        return (float) floating(value, path);
      case DOUBLE:
        return floating(value, path);
      case BOOL:
        return bool(value, path);
      case STRING:
        return text(value, path);
      case BYTES:
        return bytes(text(value, path), path);
      case ENUM:
        return enumValue(field, value, path);
      default:
        throw error(path, "Unsupported field type " + field.getType());
    }
  }

  private static BigInteger integer(JsonNode value, String path, BigInteger min, BigInteger max) {
    BigInteger result;
    if (value.isIntegralNumber()) {
      result = value.bigIntegerValue();
    } else if (value.isNumber() || value.isTextual()) {
      BigDecimal decimal = decimal(value, path).stripTrailingZeros();
      if (decimal.scale() > 0) {
        throw error(path, "Expecting an integer, got " + describe(value));
      }
      // Expanding 1e999999999 would take minutes: anything past 40 digits is out of range anyway.
      if (decimal.precision() - decimal.scale() > MAX_INTEGER_DIGITS) {
        throw error(path, "Value " + describe(value) + " is out of range [" + min + ", " + max + "]");
      }
      result = decimal.toBigIntegerExact();
    } else {
      throw error(path, "Expecting a JSON number, got " + describe(value));
    }
    if (result.compareTo(min) < 0 || result.compareTo(max) > 0) {
      throw error(path, "Value " + result + " is out of range [" + min + ", " + max + "]");
    }
    return result;
  }

  private static BigDecimal decimal(JsonNode value, String path) {
    if (value.isNumber()) {
      if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
        throw error(path, "Value " + describe(value) + " is out of range"); // 1e999 read as a double
      }
      return value.decimalValue();
    }
    String text = value.asText().trim();
    if (text.length() > JsonLimits.MAX_NUMBER_LENGTH) { // as long as a JSON number may be
      throw error(path, "Expecting a number, got " + describe(value));
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw error(path, "Expecting a number, got " + describe(value));
    }
  }

  private static double floating(JsonNode value, String path) {
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isTextual()) {
      String text = value.asText().trim();
      if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
        return Double.parseDouble(text);
      }
      return decimal(value, path).doubleValue();
    }
    throw error(path, "Expecting a JSON number, got " + describe(value));
  }

  private static boolean bool(JsonNode value, String path) {
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
      return Boolean.parseBoolean(value.asText());
    }
    throw error(path, "Expecting a JSON boolean, got " + describe(value));
  }

  private static String text(JsonNode value, String path) {
    if (!value.isTextual()) {
      throw error(path, "Expecting a JSON string, got " + describe(value));
    }
    return value.textValue();
  }

  private static ByteString bytes(String base64, String path) {
    try {
      // Standard base64; the URL-safe alphabet, missing padding and whitespace are tolerated.
      String normalized = base64.replaceAll("\\s", "").replace('-', '+').replace('_', '/');
      return ByteString.copyFrom(Base64.getDecoder().decode(normalized));
    } catch (IllegalArgumentException e) {
      throw error(path, "Failed to base64 decode bytes field: " + e.getMessage());
    }
  }

  private static Object enumValue(FieldDescriptor field, JsonNode value, String path) {
    EnumValueDescriptor result;
    if (value.isTextual()) {
      result = field.getEnumType().findValueByName(value.textValue());
    } else if (value.isIntegralNumber() && value.canConvertToInt()) {
      result = field.getEnumType().findValueByNumber(value.intValue());
    } else {
      throw error(path, "Expecting an enum name, got " + describe(value));
    }
    if (result != null) {
      return result;
    }
    if (field.isRequired()) {
      throw error(path, "Failed to find enum for '" + value.asText() + "' in "
          + field.getEnumType().getFullName());
    }
    // Like proto2 (and Mesos), an unknown value of an optional or repeated enum is dropped.
    return SKIP;
  }

  static String describe(JsonNode value) {
    String kind = value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    if (value.isValueNode()) {
      String text = value.toString();
      return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
    return kind;
  }

  private static ParseException error(String path, String detail) {
    return new ParseException("Failed to parse field '" + path + "': " + detail);
  }
}
