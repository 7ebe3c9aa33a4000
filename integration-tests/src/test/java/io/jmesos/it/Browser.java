package io.jmesos.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver (both named explicitly, so Selenium never
 * looks for or downloads a browser), with bounded waits and screenshots. Not thread-safe.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  final ChromeDriver driver;
  final WebDriverWait wait;
  private final Path screenshots;

  Browser(Path profile, Path screenshots) throws IOException {
    this.screenshots = Files.createDirectories(screenshots);
    // Selenium takes the driver from this property and never runs its manager to find or fetch one.
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    System.setProperty(ChromeDriverService.CHROME_DRIVER_LOG_PROPERTY,
        profile.resolveSibling("chromedriver.log").toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1000",
        "--user-data-dir=" + Files.createDirectories(profile).toAbsolutePath());
    this.driver = new ChromeDriver(options);
    this.wait = new WebDriverWait(driver, WAIT);
  }

  /** Fails, saying how to install them, when Debian's chromium or chromedriver is missing. */
  static void requireInstalled() {
    requireInstalled(CHROMIUM, CHROMEDRIVER);
  }

  static void requireInstalled(Path chromium, Path chromedriver) {
    if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
      throw new AssertionError("The web UI test needs Debian's Chromium and its driver at " + chromium + " and "
          + chromedriver + ": install them with `apt-get install -y chromium chromium-driver`");
    }
  }

  WebDriver open(String url) {
    driver.get(url);
    return driver;
  }

  /** Waits (bounded) until the element found by {@code by} contains {@code text}. */
  void waitForText(By by, String text) {
    wait.withMessage(() -> "'" + text + "' in " + by + " on " + driver.getCurrentUrl() + "; the page shows: "
        + driver.findElement(By.tagName("body")).getText())
        .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  /** Saves a PNG of the page as {@code name}.png. */
  void screenshot(String name) throws IOException {
    File png = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), screenshots.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
