package io.github.dockerpulls.exporter.testing;

import io.github.dockerpulls.hub.testing.RealServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through its own chromedriver (Selenium never downloads one),
 * with nothing but loopback reachable: host names do not resolve and other addresses go to a proxy
 * that does not exist. Installed by {@link RealServers} like the other real servers.
 */
public final class Chromium {
  /** Where the tests keep their screenshots, for people to look at. */
  public static final Path SHOTS = Path.of("target", "screenshots");

  private Chromium() {}

  public static ChromeDriver start() throws IOException {
    Path chromium = RealServers.require("chromium");
    Path driver = RealServers.require("chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1280,1000",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
    Files.createDirectories(SHOTS);
    return new ChromeDriver(service, options);
  }

  public static Object js(ChromeDriver browser, String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  /** Waits until the dashboard's app says it has drawn its figures. */
  public static void awaitReady(ChromeDriver browser) {
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            d ->
                Boolean.TRUE.equals(
                    js(browser, "return !!(window.dockerpulls && window.dockerpulls.ready)")));
  }

  public static void shot(ChromeDriver browser, String name) throws IOException {
    Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }
}
