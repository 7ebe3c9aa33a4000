package io.jmesos.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.actor.ManualClock;
import io.jmesos.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The verbosity level and its timed revert, on a manual clock: a toggle holds for its duration then reverts to
 * the original level, a later toggle replaces the pending revert, and {@code /logging/toggle} answers as
 * libprocess' does.
 */
class LoggingLevelsTest {
  private final ManualClock clock = new ManualClock();
  private final List<Integer> applied = new CopyOnWriteArrayList<>();
  private final LoggingLevels levels = new LoggingLevels(clock, applied::add);

  @Test
  void aToggleHoldsForItsDurationThenReverts() {
    assertThat(levels.level()).isEqualTo(LoggingLevels.ORIGINAL);
    levels.toggle(2, Duration.ofSeconds(10));
    assertThat(levels.level()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(9));
    assertThat(levels.level()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    assertThat(levels.level()).isZero();
    assertThat(applied).containsExactly(2, 0);
  }

  @Test
  void aLaterToggleReplacesThePendingRevert() {
    levels.toggle(1, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(5));
    levels.toggle(3, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(6));
    assertThat(levels.level()).as("the first toggle's revert no longer applies").isEqualTo(3);
    clock.advance(Duration.ofSeconds(4));
    assertThat(levels.level()).isZero();
    assertThat(clock.pendingTimers()).isZero();
    assertThat(applied).containsExactly(1, 3, 0);
  }

  @Test
  void togglingToTheOriginalLevelRevertsAtOnceAndCancelsThePendingRevert() {
    levels.toggle(1, Duration.ofMinutes(1));
    levels.toggle(0, Duration.ofMinutes(1));
    assertThat(levels.level()).isZero();
    assertThat(clock.pendingTimers()).isZero();
    assertThatThrownBy(() -> levels.toggle(-1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theToggleEndpointAnswersAsLibprocess() {
    assertThat(LoggingToggle.answer(levels, null, null).bodyText()).isEqualTo("0\n");
    assertThat(answer("1", null)).isEqualTo("400 Expecting 'duration=value' in query.\n");
    assertThat(answer(null, "1secs")).isEqualTo("400 Expecting 'level=value' in query.\n");
    assertThat(answer("x", "1secs")).startsWith("400 Failed to convert 'x'");
    assertThat(answer("-1", "1secs")).isEqualTo("400 Invalid level '-1'.\n");
    assertThat(answer("1", "1 hour")).startsWith("400 Invalid duration '1 hour'");
    assertThat(levels.level()).as("no bad request changed the level").isZero();

    assertThat(LoggingToggle.answer(levels, "2", "30secs").status()).isEqualTo(200);
    assertThat(LoggingToggle.answer(levels, null, null).bodyText()).isEqualTo("2\n");
    clock.advance(Duration.ofSeconds(30));
    assertThat(LoggingToggle.answer(levels, null, null).bodyText()).isEqualTo("0\n");
  }

  private String answer(String level, String duration) {
    HttpResponse response = LoggingToggle.answer(levels, level, duration);
    return response.status() + " " + response.bodyText();
  }

  @Test
  void verbosityLevelsMapToLogbackLevels() {
    assertThat(LogbackLogging.verbosity(0)).as("inherit --logging_level").isNull();
    assertThat(LogbackLogging.verbosity(1)).isEqualTo(ch.qos.logback.classic.Level.DEBUG);
    assertThat(LogbackLogging.verbosity(3)).isEqualTo(ch.qos.logback.classic.Level.TRACE);
    assertThat(LogbackLogging.level("WARNING")).isEqualTo(ch.qos.logback.classic.Level.WARN);
    assertThat(LogbackLogging.validateLevel("DEBUG")).isPresent();
  }
}
