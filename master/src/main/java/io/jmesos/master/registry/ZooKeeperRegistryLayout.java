package io.jmesos.master.registry;

import io.jmesos.internal.RegistryStoreProtos.RegistryHead;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.utils.PathUtils;

/**
 * Where the registry lives in ZooKeeper, and which of its znodes are garbage.
 *
 * <p>Everything is under {@code <path>/registry} (the masters' election znodes are siblings of {@code registry}):
 * the head {@code head}, and shard znodes named {@code shard-<index>-g<generation>-<writer>}, where the generation
 * is that of the store that created the znode and the writer a random token of that store call (so that two
 * masters storing the same generation at once never share a znode).
 *
 * <p>The garbage rule: a shard znode is garbage when its generation is at most the head's and the head does not
 * name it. Why that is safe: heads go up one generation per switch, and a store names only the znodes of the head
 * it replaces plus znodes it created with the new generation; so a znode that a head of generation {@code h} does
 * not name is named by no later head unless it was created for a later generation. Znodes of a generation above
 * the head's may be the pre-switch znodes of a store in progress and are left alone.
 */
final class ZooKeeperRegistryLayout {
  static final String HEAD = "head";

  private static final Pattern SHARD = Pattern.compile("shard-(\\d{4,})-g(\\d{10,})-([0-9a-f]+)");

  private final String directory;

  ZooKeeperRegistryLayout(String basePath) {
    this.directory = PathUtils.validatePath((basePath.endsWith("/") ? basePath : basePath + "/") + "registry");
  }

  /** {@code <path>/registry}. */
  String directory() {
    return directory;
  }

  String head() {
    return path(HEAD);
  }

  String path(String name) {
    return directory + "/" + name;
  }

  static String shardName(int shard, long generation, String writer) {
    return String.format(Locale.ROOT, "shard-%04d-g%010d-%s", shard, generation, writer);
  }

  /** The generation in a shard znode's name, or nothing for a name that is not a shard's. */
  static OptionalLong generation(String name) {
    Matcher matcher = SHARD.matcher(name);
    if (!matcher.matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(matcher.group(2)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The highest generation among shard znode names, 0 if none. */
  static long maxGeneration(List<String> children) {
    long max = 0;
    for (String child : children) {
      max = Math.max(max, generation(child).orElse(0));
    }
    return max;
  }

  /** The names among {@code children} that are garbage under {@code head} (see the class comment). */
  static List<String> garbage(List<String> children, RegistryHead head) {
    Set<String> named = new HashSet<>(head.getShardsList());
    List<String> garbage = new ArrayList<>();
    for (String child : children) {
      OptionalLong generation = generation(child);
      if (generation.isPresent() && generation.getAsLong() <= head.getGeneration() && !named.contains(child)) {
        garbage.add(child);
      }
    }
    return garbage;
  }
}
