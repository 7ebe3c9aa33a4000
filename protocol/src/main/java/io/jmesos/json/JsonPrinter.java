package io.jmesos.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import java.math.BigInteger;
import java.util.Base64;

/** Message to Jackson tree in Mesos' JSON conventions; see {@link MesosJson}. Stateless. */
final class JsonPrinter {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonPrinter() {}

  static ObjectNode toTree(MessageOrBuilder message) {
    ObjectNode object = NODES.objectNode();
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (field.isMapField()) {
        if (message.getRepeatedFieldCount(field) > 0) {
          object.set(field.getName(), map(message, field));
        }
      } else if (field.isRepeated()) {
        int count = message.getRepeatedFieldCount(field);
        if (count > 0) {
          ArrayNode array = object.putArray(field.getName());
          for (int i = 0; i < count; i++) {
            array.add(value(field, message.getRepeatedField(field, i)));
          }
        }
      } else if (message.hasField(field) || printsDefault(field)) {
        object.set(field.getName(), value(field, message.getField(field)));
      }
    }
    return object;
  }

  /**
   * Mesos prints an unset optional field when it declares an explicit default and is not
   * deprecated. A oneof member is left out, so that the output never sets two members of a oneof.
   */
  private static boolean printsDefault(FieldDescriptor field) {
    return field.hasDefaultValue()
        && !field.getOptions().getDeprecated()
        && field.getContainingOneof() == null;
  }

  private static ObjectNode map(MessageOrBuilder message, FieldDescriptor field) {
    Descriptor entryType = field.getMessageType();
    FieldDescriptor keyField = entryType.findFieldByNumber(1);
    FieldDescriptor valueField = entryType.findFieldByNumber(2);
    ObjectNode object = NODES.objectNode();
    int count = message.getRepeatedFieldCount(field);
    for (int i = 0; i < count; i++) {
      Message entry = (Message) message.getRepeatedField(field, i);
      String key = value(keyField, entry.getField(keyField)).asText();
      object.set(key, value(valueField, entry.getField(valueField)));
    }
    return object;
  }

  static JsonNode value(FieldDescriptor field, Object value) {
    switch (field.getType()) {
      case INT32:
      case SINT32:
      case SFIXED32:
        return NODES.numberNode((Integer) value);
      case UINT32:
      case FIXED32:
        return NODES.numberNode(Integer.toUnsignedLong((Integer) value));
      case INT64:
      case SINT64:
      case SFIXED64:
        return NODES.numberNode((Long) value);
      case UINT64:
      case FIXED64:
        long unsigned = (Long) value;
        return unsigned >= 0
            ? NODES.numberNode(unsigned)
            : NODES.numberNode(new BigInteger(Long.toUnsignedString(unsigned)));
      case FLOAT:
        return NODES.numberNode((Float) value);
      case DOUBLE:
        return NODES.numberNode((Double) value);
      case BOOL:
        return NODES.booleanNode((Boolean) value);
      case STRING:
        return NODES.textNode((String) value);
      case BYTES:
        return NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case ENUM:
        return NODES.textNode(((EnumValueDescriptor) value).getName());
      case MESSAGE:
      case GROUP:
        return toTree((MessageOrBuilder) value);
      default:
        throw new IllegalStateException("Unexpected field type " + field.getType());
    }
  }
}
