package io.jmesos.protocol;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares the messages and enums of two versions of one {@code .proto} file on everything that
 * affects the wire and JSON formats, listing every difference. Stateless.
 */
final class DescriptorComparison {

  private DescriptorComparison() {}

  /** Differences between {@code ours} and {@code reference}, one readable line each. */
  static List<String> compare(FileDescriptorProto ours, FileDescriptorProto reference) {
    List<String> mismatches = new ArrayList<>();
    String file = ours.getName();
    if (!ours.getPackage().equals(reference.getPackage())) {
      mismatches.add(file + ": package '" + ours.getPackage() + "' but reference has '"
          + reference.getPackage() + "'");
    }
    Map<String, DescriptorProto> ourMessages = new LinkedHashMap<>();
    Map<String, EnumDescriptorProto> ourEnums = new LinkedHashMap<>();
    collect("." + ours.getPackage(), ours.getMessageTypeList(), ours.getEnumTypeList(),
        ourMessages, ourEnums);
    Map<String, DescriptorProto> refMessages = new LinkedHashMap<>();
    Map<String, EnumDescriptorProto> refEnums = new LinkedHashMap<>();
    collect("." + reference.getPackage(), reference.getMessageTypeList(),
        reference.getEnumTypeList(), refMessages, refEnums);

    ourMessages.forEach((name, message) -> {
      DescriptorProto other = refMessages.get(name);
      if (other == null) {
        mismatches.add(file + ": message " + name + " is not in the reference");
      } else {
        compareMessage(name, message, other, mismatches);
      }
    });
    ourEnums.forEach((name, type) -> {
      EnumDescriptorProto other = refEnums.get(name);
      if (other == null) {
        mismatches.add(file + ": enum " + name + " is not in the reference");
      } else {
        compareEnum(name, type, other, mismatches);
      }
    });
    refMessages.keySet().stream().filter(name -> !ourMessages.containsKey(name))
        .forEach(name -> mismatches.add(file + ": message " + name + " is missing here"));
    refEnums.keySet().stream().filter(name -> !ourEnums.containsKey(name))
        .forEach(name -> mismatches.add(file + ": enum " + name + " is missing here"));
    return mismatches;
  }

  private static void collect(String scope, List<DescriptorProto> messages,
      List<EnumDescriptorProto> enums, Map<String, DescriptorProto> messagesOut,
      Map<String, EnumDescriptorProto> enumsOut) {
    for (EnumDescriptorProto type : enums) {
      enumsOut.put(scope + "." + type.getName(), type);
    }
    for (DescriptorProto message : messages) {
      String name = scope + "." + message.getName();
      messagesOut.put(name, message);
      collect(name, message.getNestedTypeList(), message.getEnumTypeList(), messagesOut, enumsOut);
    }
  }

  private static void compareMessage(
      String name, DescriptorProto ours, DescriptorProto reference, List<String> mismatches) {
    if (ours.getOptions().getMapEntry() != reference.getOptions().getMapEntry()) {
      mismatches.add(name + ": map_entry " + ours.getOptions().getMapEntry() + " but reference "
          + reference.getOptions().getMapEntry());
    }
    Map<String, FieldDescriptorProto> refFields = new LinkedHashMap<>();
    reference.getFieldList().forEach(f -> refFields.put(f.getName(), f));
    for (FieldDescriptorProto field : ours.getFieldList()) {
      FieldDescriptorProto other = refFields.remove(field.getName());
      String where = name + "." + field.getName();
      if (other == null) {
        mismatches.add(where + " (number " + field.getNumber() + ") is not in the reference");
        continue;
      }
      check(where, "number", field.getNumber(), other.getNumber(), mismatches);
      check(where, "type", field.getType(), other.getType(), mismatches);
      check(where, "type_name", field.getTypeName(), other.getTypeName(), mismatches);
      check(where, "label", field.getLabel(), other.getLabel(), mismatches);
      check(where, "default_value", field.hasDefaultValue() ? field.getDefaultValue() : null,
          other.hasDefaultValue() ? other.getDefaultValue() : null, mismatches);
      check(where, "oneof", oneof(ours, field), oneof(reference, other), mismatches);
      check(where, "packed", field.getOptions().getPacked(), other.getOptions().getPacked(),
          mismatches);
      check(where, "deprecated", field.getOptions().getDeprecated(),
          other.getOptions().getDeprecated(), mismatches);
    }
    refFields.values().forEach(f -> mismatches.add(
        name + "." + f.getName() + " (number " + f.getNumber() + ") is missing here"));
  }

  private static String oneof(DescriptorProto message, FieldDescriptorProto field) {
    return field.hasOneofIndex() && !field.getProto3Optional()
        ? message.getOneofDecl(field.getOneofIndex()).getName()
        : null;
  }

  private static void compareEnum(String name, EnumDescriptorProto ours,
      EnumDescriptorProto reference, List<String> mismatches) {
    Map<String, Integer> refValues = new LinkedHashMap<>();
    for (EnumValueDescriptorProto value : reference.getValueList()) {
      refValues.put(value.getName(), value.getNumber());
    }
    for (EnumValueDescriptorProto value : ours.getValueList()) {
      Integer number = refValues.remove(value.getName());
      if (number == null) {
        mismatches.add(name + "." + value.getName() + " (" + value.getNumber()
            + ") is not in the reference");
      } else {
        check(name + "." + value.getName(), "number", value.getNumber(), number, mismatches);
      }
    }
    refValues.forEach((value, number) ->
        mismatches.add(name + "." + value + " (" + number + ") is missing here"));
  }

  private static void check(
      String where, String what, Object ours, Object reference, List<String> mismatches) {
    if (!Objects.equals(ours, reference)) {
      mismatches.add(where + ": " + what + " is " + ours + " but the reference has " + reference);
    }
  }
}
