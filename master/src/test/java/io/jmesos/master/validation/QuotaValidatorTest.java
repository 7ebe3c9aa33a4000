package io.jmesos.master.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.allocator.Quota;
import java.util.Map;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;
import org.junit.jupiter.api.Test;

class QuotaValidatorTest {

  @Test
  void aParentsGuaranteesMustHoldItsChildrens() {
    Map<String, Quota> quotas = Map.of(
        "eng", new Quota(Map.of("cpus", 4.0), Map.of()),
        "eng/web", new Quota(Map.of("cpus", 3.0), Map.of()),
        "eng/batch", new Quota(Map.of("cpus", 2.0, "mem", 10.0), Map.of()));
    assertThat(QuotaValidator.validateTree(quotas)).contains("Invalid quota configuration. Parent role 'eng' with "
        + "guarantees (cpus:4) does not contain the sum of its children's guarantees (cpus:5; mem:10)");

    Map<String, Quota> fitting = Map.of(
        "eng", new Quota(Map.of("cpus", 5.0, "mem", 10.0), Map.of()),
        "eng/web", new Quota(Map.of("cpus", 3.0), Map.of()),
        "eng/batch", new Quota(Map.of("cpus", 2.0, "mem", 10.0), Map.of()),
        "ops", new Quota(Map.of("cpus", 1.0), Map.of()));
    assertThat(QuotaValidator.validateTree(fitting)).isEmpty();
    // Children are inside their parent's guarantees: only top-level roles count.
    assertThat(QuotaValidator.totalGuarantees(fitting)).containsExactly(Map.entry("cpus", 6.0),
        Map.entry("mem", 10.0));
  }

  @Test
  void aRoleWithoutQuotaAboveAQuotaedOneGuaranteesNothing() {
    assertThat(QuotaValidator.validateTree(Map.of("a/b", new Quota(Map.of("cpus", 1.0), Map.of()))))
        .contains("Invalid quota configuration. Parent role 'a' with guarantees ({}) does not contain the sum of "
            + "its children's guarantees (cpus:1)");
  }

  @Test
  void scalarsAreCheckedAsMesosDoes() {
    assertThat(QuotaValidator.inputScalar(Double.NaN)).contains("NaN not supported");
    assertThat(QuotaValidator.inputScalar(Double.POSITIVE_INFINITY)).contains("Infinite values not supported");
    assertThat(QuotaValidator.inputScalar(Double.MIN_VALUE)).contains("Subnormal values not supported");
    assertThat(QuotaValidator.inputScalar(-0.5)).contains("Negative values not supported");
    assertThat(QuotaValidator.inputScalar(0)).isEmpty();
    assertThat(QuotaValidator.inputScalar(1.5)).isEmpty();
  }

  @Test
  void configsAreValidatedInMesosOrder() {
    QuotaConfig.Builder config = QuotaConfig.newBuilder().setRole("web");
    assertThat(QuotaValidator.validate(config.build())).isEmpty();
    assertThat(QuotaValidator.validate(config.clone().setRole("").build()))
        .contains("Invalid 'QuotaConfig.role': Empty role name is invalid");
    assertThat(QuotaValidator.validate(config.clone().putGuarantees("cpus", scalar(2e12)).build()))
        .contains("Invalid 'QuotaConfig.guarantees': {'cpus': 2000000000000} is invalid: values greater than "
            + "1 trillion (1000000000000) are not supported");
    assertThat(QuotaValidator.validate(config.clone().putLimits("gpus", scalar(Double.NaN)).build()))
        .contains("Invalid limit configuration {'gpus': nan}: NaN not supported");
    assertThat(QuotaValidator.validate(config.clone().putGuarantees("cpus", scalar(1)).putGuarantees("mem",
        scalar(64)).putLimits("mem", scalar(32)).build()))
        .contains("'QuotaConfig.guarantees' { cpus: 1, mem: 64 } is not contained within the 'QuotaConfig.limits' "
            + "{ mem: 32 }");
  }

  private static Value.Scalar scalar(double value) {
    return Value.Scalar.newBuilder().setValue(value).build();
  }
}
