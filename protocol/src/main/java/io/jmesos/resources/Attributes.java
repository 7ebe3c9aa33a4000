package io.jmesos.resources;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.Attribute;
import org.apache.mesos.Protos.Value;

/**
 * An agent's attributes, as given by {@code --attributes=rack:r1;zone:us-east;level:10}. Values are
 * typed as Mesos types them: a decimal number is SCALAR, {@code [a-b,...]} RANGES, {@code {x,y}}
 * SET, anything else TEXT. Immutable and thread-safe.
 */
public final class Attributes implements Iterable<Attribute> {

  private final List<Attribute> attributes;

  private Attributes(List<Attribute> attributes) {
    this.attributes = Collections.unmodifiableList(attributes);
  }

  public static Attributes of(Iterable<Attribute> attributes) {
    List<Attribute> list = new ArrayList<>();
    attributes.forEach(list::add);
    return new Attributes(list);
  }

  /**
   * Parses {@code name:value} entries separated by {@code ;} or new lines.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static Attributes parse(String text) {
    Objects.requireNonNull(text, "text");
    List<Attribute> list = new ArrayList<>();
    for (String token : text.split("[;\n]")) {
      if (token.trim().isEmpty()) {
        continue;
      }
      String[] pair = token.split(":");
      if (pair.length != 2 || pair[0].trim().isEmpty() || pair[1].trim().isEmpty()) {
        throw new IllegalArgumentException(
            "Invalid attribute '" + token.trim() + "': expecting 'name:value'");
      }
      list.add(attribute(pair[0].trim(), pair[1]));
    }
    return new Attributes(list);
  }

  private static Attribute attribute(String name, String text) {
    Value value;
    try {
      value = Values.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid attribute '" + name + "' value '" + text.trim() + "': " + e.getMessage(), e);
    }
    Attribute.Builder attribute = Attribute.newBuilder().setName(name).setType(value.getType());
    switch (value.getType()) {
      case SCALAR:
        return attribute.setScalar(value.getScalar()).build();
      case RANGES:
        return attribute.setRanges(value.getRanges()).build();
      case SET:
        return attribute.setSet(value.getSet()).build();
      default:
        return attribute.setText(value.getText()).build();
    }
  }

  /** The first attribute called {@code name}. */
  public Optional<Attribute> get(String name) {
    return attributes.stream().filter(a -> a.getName().equals(name)).findFirst();
  }

  public List<Attribute> toList() {
    return attributes;
  }

  public boolean isEmpty() {
    return attributes.isEmpty();
  }

  @Override
  public Iterator<Attribute> iterator() {
    return attributes.iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes && attributes.equals(((Attributes) o).attributes);
  }

  @Override
  public int hashCode() {
    return attributes.hashCode();
  }

  /** The command-line form, {@code rack:r1;level:10}. */
  @Override
  public String toString() {
    return attributes.stream().map(Attributes::format).collect(Collectors.joining(";"));
  }

  private static String format(Attribute attribute) {
    String value;
    switch (attribute.getType()) {
      case SCALAR:
        value = Values.format(attribute.getScalar());
        break;
      case RANGES:
        value = Values.format(attribute.getRanges());
        break;
      case SET:
        value = Values.format(attribute.getSet());
        break;
      default:
        value = attribute.getText().getValue();
        break;
    }
    return attribute.getName() + ":" + value;
  }
}
