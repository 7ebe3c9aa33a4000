package io.jmesos.master.registry;

import static io.jmesos.master.registry.ZooKeeperRegistryOutcome.FENCED;
import static io.jmesos.master.registry.ZooKeeperRegistryOutcome.SWITCHED;
import static io.jmesos.master.registry.ZooKeeperRegistryOutcome.UNCHANGED;
import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.internal.RegistryStoreProtos.RegistryHead;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a store judges the head it re-reads after a switch that did not plainly succeed. */
@Timeout(30)
class ZooKeeperRegistryOutcomeTest {
  private static final String OURS = "00000000000000aa";
  private static final String THEIRS = "00000000000000bb";

  @Test
  void ourGenerationAndWriterMeanTheSwitchHappened() {
    // E.g. the answer to the setData was lost and Curator's retry met our own write as a version conflict.
    assertThat(judge(head(8, OURS), 5, 8, 4, 7)).isEqualTo(SWITCHED);
    // The first store's create, retried after a lost connection, met its own head.
    assertThat(judge(head(1, OURS), 0, 1, -1, 0)).isEqualTo(SWITCHED);
  }

  @Test
  void anotherWritersHeadFences() {
    assertThat(judge(head(8, THEIRS), 5, 8, 4, 7)).isEqualTo(FENCED);
    assertThat(judge(head(9, THEIRS), 6, 8, 4, 7)).isEqualTo(FENCED);
    assertThat(judge(head(1, THEIRS), 0, 1, -1, 0)).isEqualTo(FENCED);
    // Deleted and re-created by someone: the version came back to what we saw, the generation did not.
    assertThat(judge(head(1, THEIRS), 4, 8, 4, 7)).isEqualTo(FENCED);
    // Deleted after we saw it.
    assertThat(ZooKeeperRegistryOutcome.judge(Optional.empty(), 0, 8, OURS, 4, 7)).isEqualTo(FENCED);
  }

  @Test
  void theHeadAsWeSawItMeansTheStoreFailed() {
    assertThat(judge(head(7, THEIRS), 4, 8, 4, 7)).isEqualTo(UNCHANGED);
    assertThat(ZooKeeperRegistryOutcome.judge(Optional.empty(), 0, 1, OURS, -1, 0)).isEqualTo(UNCHANGED);
  }

  private static ZooKeeperRegistryOutcome judge(RegistryHead current, int currentVersion, long generation,
      int seenVersion, long seenGeneration) {
    return ZooKeeperRegistryOutcome.judge(Optional.of(current), currentVersion, generation, OURS, seenVersion,
        seenGeneration);
  }

  private static RegistryHead head(long generation, String writer) {
    return RegistryHead.newBuilder().setGeneration(generation).setShardCount(1).addShards("")
        .setRest(Registry.getDefaultInstance()).setWriter(writer).build();
  }
}
