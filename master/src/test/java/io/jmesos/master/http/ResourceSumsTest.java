package io.jmesos.master.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.json.StateModels;
import io.jmesos.resources.Resources;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The summed {@code /state} object is the one of the {@link Resources} sum, whatever is added. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResourceSumsTest {

  @Test
  void manySmallScalarsAddUpInFixedPointAsResourcesDo() {
    List<Resource> task = Resources.parse("cpus:0.1;mem:32.5", "*").toList();
    Resources sum = Resources.empty();
    ResourceSums sums = new ResourceSums();
    for (int i = 0; i < 1003; i++) {
      sum = sum.plus(Resources.of(task));
      sums.add(task);
    }

    assertThat(sums.json()).isEqualTo(StateModels.resources(sum));
    assertThat(sums.json().get("cpus").asDouble()).isEqualTo(100.3);
  }

  @Test
  void rangesSetsReservationsAndOtherNamesAsTheSumShowsThem() {
    List<List<Resource>> lists = List.of(
        Resources.parse("cpus:1.5;mem:128;ports:[31000-31005]", "*").toList(),
        Resources.parse("cpus(web):0.25;disk(web):1024;ports(web):[31006-31010,32000-32000];zones:{a,b}", "*")
            .toList(),
        Resources.parse("gpus:1;zones:{b,c};bandwidth:0.001;ports:[31003-31007]", "*").toList());
    Resources sum = Resources.empty();
    ResourceSums sums = new ResourceSums();
    for (List<Resource> list : lists) {
      sum = sum.plus(Resources.of(list));
      sums.add(list);
    }

    assertThat(sums.json()).isEqualTo(StateModels.resources(sum));
    assertThat(sums.json().get("ports").asText()).isEqualTo("[31000-31010, 32000-32000]");
  }

  @Test
  void nothingAddedIsTheEmptyObjectAndPlusLeavesTheOriginalAlone() {
    assertThat(new ResourceSums().json()).isEqualTo(StateModels.resources(Resources.empty()));

    ResourceSums used = new ResourceSums().add(Resources.parse("cpus:1;mem:10", "*"));
    ResourceSums allocated = used.plus(Resources.parse("cpus:2;ports:[1-2]", "*"));

    assertThat(used.json()).isEqualTo(StateModels.resources(Resources.parse("cpus:1;mem:10", "*")));
    assertThat(allocated.json())
        .isEqualTo(StateModels.resources(Resources.parse("cpus:3;mem:10;ports:[1-2]", "*")));
  }
}
