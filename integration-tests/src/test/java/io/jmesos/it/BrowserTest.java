package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** Without Debian's Chromium the web UI test fails at once, saying how to install it. */
class BrowserTest {
  @Test
  void aMissingBrowserFailsSayingHowToInstallIt() {
    assertThatThrownBy(() -> Browser.requireInstalled(Paths.get("/nonexistent/chromium"), Browser.CHROMEDRIVER))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("/nonexistent/chromium")
        .hasMessageContaining("apt-get install -y chromium chromium-driver");
    assertThatThrownBy(() -> Browser.requireInstalled(Browser.CHROMIUM, Paths.get("/nonexistent/chromedriver")))
        .hasMessageContaining("apt-get install -y chromium chromium-driver");
  }
}
