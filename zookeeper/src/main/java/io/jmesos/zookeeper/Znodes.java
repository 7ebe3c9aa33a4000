package io.jmesos.zookeeper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The members of a Mesos group: children named {@code [label_]NNNNNNNNNN}, as Mesos' {@code zookeeper::Group}
 * reads them (split at {@code _}, the last token is the sequence number; other children are ignored).
 */
final class Znodes {
  /** Mesos' {@code MASTER_INFO_JSON_LABEL}: the data is a {@code MasterInfo} as JSON. */
  static final String JSON_LABEL = "json.info";
  /** Mesos' {@code MASTER_INFO_LABEL}: the data is a binary {@code MasterInfo} (before Mesos 0.24). */
  static final String BINARY_LABEL = "info";

  private Znodes() {}

  /** One member of the group. */
  static final class Member {
    final String name;
    final Optional<String> label;
    final long sequence;

    Member(String name, Optional<String> label, long sequence) {
      this.name = name;
      this.label = label;
      this.sequence = sequence;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Parses a child's name, or nothing for a child that is not a group member. */
  static Optional<Member> parse(String name) {
    String[] tokens = name.split("_", -1);
    String last = tokens[tokens.length - 1];
    if (last.isEmpty() || !last.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    long sequence;
    try {
      sequence = Long.parseLong(last);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    Optional<String> label = tokens.length > 1 ? Optional.of(tokens[0]) : Optional.empty();
    return Optional.of(new Member(name, label, sequence));
  }

  /** The group's members, lowest sequence number (the leader) first. */
  static List<Member> members(List<String> children) {
    List<Member> members = new ArrayList<>();
    for (String child : children) {
      parse(child).ifPresent(members::add);
    }
    members.sort(Comparator.comparingLong((Member m) -> m.sequence));
    return members;
  }

  /** The last path segment: {@code /mesos/json.info_0000000003} -> {@code json.info_0000000003}. */
  static String basename(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static String child(String parent, String name) {
    return parent.endsWith("/") ? parent + name : parent + "/" + name;
  }
}
