package io.jmesos.master.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  @Test
  void parsesMesosRateLimits() {
    RateLimit limit = RateLimit.parse("2/3hrs").value();
    assertThat(limit).isEqualTo(new RateLimit(2, Duration.ofHours(3)));
    assertThat(limit.interval()).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void refusesWhatIsNotARate() {
    assertThat(RateLimit.parse("10mins").error()).startsWith("Invalid agent_removal_rate_limit: 10mins");
    assertThat(RateLimit.parse("x/10mins").error()).contains("x is not a number");
    assertThat(RateLimit.parse("0/10mins").error()).contains("must be positive");
    assertThat(RateLimit.parse("1/10").error()).startsWith("Invalid agent_removal_rate_limit: 1/10. ");
    assertThat(MasterFlags.parse(new String[] {"--agent_removal_rate_limit=1/1mins"}, java.util.Map.of())
        .agentRemovalRateLimit()).contains(new RateLimit(1, Duration.ofMinutes(1)));
  }
}
