package org.fraudscorer.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless chromium, driven by Selenium through Debian's chromedriver. The
 * page loads, alerts streamed through the real scorer appear, an event whose id is markup shows as text, and one
 * click on "confirmed fraud" puts exactly one label on the labels topic. A screenshot is saved as
 * {@code target/console-browser.png}.
 *
 * <p>Without chromium and chromedriver this test is skipped with a loud message saying how to install them, as the
 * data tests skip without the data; {@code FRAUD_REQUIRE_BROWSER=1} (set by {@code .ci/run}, which also installs
 * them) makes it fail instead. The binaries are
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}, or {@code FRAUD_CHROMIUM} and {@code FRAUD_CHROMEDRIVER}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleBrowserIT {
    /** Markup that would run (or draw an image, or set a flag) if the page parsed event data as HTML. */
    static final String HOSTILE_ID = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
    @TempDir
    Path dir;

    private static Path binary(String env, String fallback) {
        String v = System.getenv(env);
        return Paths.get(v == null || v.isBlank() ? fallback : v);
    }

    private static final Path CHROMIUM = binary("FRAUD_CHROMIUM", "/usr/bin/chromium");
    private static final Path CHROMEDRIVER = binary("FRAUD_CHROMEDRIVER", "/usr/bin/chromedriver");

    private static void requireBrowser() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = "ConsoleBrowserIT needs a real browser: " + CHROMIUM + " and " + CHROMEDRIVER + " must exist "
                + "(Debian: apt-get install -y chromium chromium-driver; .ci/run installs them). "
                + "FRAUD_REQUIRE_BROWSER=1 (CI) makes this a failure.";
        if ("1".equals(System.getenv("FRAUD_REQUIRE_BROWSER"))) {
            Assertions.fail(message);
        }
        System.err.println("SKIPPED (no browser): " + message);
        Assumptions.abort(message);
    }

    private static ChromeDriver chrome(Path profile) {
        return chrome(profile, 0);
    }

    /** A browser whose page is {@code phoneWidth} CSS pixels wide, as a phone's (0: a desktop window). */
    private static ChromeDriver chrome(Path profile, int phoneWidth) {
        return chrome(profile, phoneWidth, null);
    }

    /** As {@link #chrome(Path, int)}, in the time zone {@code zone} (null: the machine's). */
    private static ChromeDriver chrome(Path profile, int phoneWidth, String zone) {
        ChromeOptions options = new ChromeOptions();
        if (phoneWidth > 0) { // a desktop window is at least 500 pixels wide
            options.setExperimentalOption("mobileEmulation", java.util.Map.of("deviceMetrics",
                    java.util.Map.of("width", phoneWidth, "height", 844, "pixelRatio", 1.0)));
        }
        options.setBinary(CHROMIUM.toFile());
        // As the workplace's probe runs it: no sandbox (root in a container), no GPU, and no background traffic
        // (this machine's network is closed; those connections would only be refused).
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withEnvironment(zone == null ? java.util.Map.of() : java.util.Map.of("TZ", zone))
                .build();
        return new ChromeDriver(service, options);
    }

    /** The row of an alert, found in one script call (the page re-renders its table as alerts and verdicts arrive). */
    private static WebElement row(ChromeDriver browser, String id) {
        return (WebElement) browser.executeScript(
                "return [...document.querySelectorAll('#alert-rows tr')].find(tr => tr.dataset.id === arguments[0]) || null;", id);
    }

    /** Clicks a button of an alert's row, again if a re-render replaced the row in between. */
    private static void click(WebDriverWait wait, ChromeDriver browser, String id, String button) {
        wait.until(b -> {
            row(browser, id).findElement(By.cssSelector(button)).click();
            return true;
        });
    }

    @Test
    @Timeout(300)
    void shouldStreamAlertsRenderHostileIdsAsTextAndWriteOneLabelPerClick(TestBroker broker) throws Exception {
        requireBrowser();

        // Given the real scorer flagging every event, and the console on its topics, open in a browser
        Topics topics = ConsoleKafka.topics(broker, "console-browser");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add("card-" + i);
        }
        ids.add(HOSTILE_ID);
        try (ScorerApp scorer = ConsoleKafka.scorer(broker, topics, dir);
             AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                     topics.flagged(), topics.labels(), "console-browser", "127.0.0.1", 0, null,
                     ConsoleKafka.metricsUrl(scorer), 100))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile")));
            try {
                browser.get(console.url());
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                wait.until(b -> "live".equals(b.findElement(By.id("connection")).getText()));

                // When events stream through the scorer
                ConsoleKafka.produceEvents(broker, topics.input(), ids);

                // Then every alert appears on the page, the hostile id as plain text
                wait.until(b -> b.findElements(By.cssSelector("#alert-rows tr")).size() == ids.size());
                String hostileText = wait.until(b -> row(browser, HOSTILE_ID).findElement(By.cssSelector("td.id")).getText());
                assertThat(hostileText).isEqualTo(HOSTILE_ID);
                assertThat(browser.findElements(By.cssSelector("#alert-rows script, #alert-rows img"))).isEmpty();
                assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.pwned")).isEqualTo("undefined");
                Assertions.assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
                Integer bars = wait.until(b -> row(browser, "card-4").findElements(By.cssSelector(".bars .bar")).size());
                assertThat(bars).isPositive();
                String model = wait.until(b -> row(browser, "card-4").findElement(By.cssSelector("td.model")).getText());
                assertThat(model).isEqualTo("console-it-v1");

                // When the analyst clicks "confirmed fraud" on card-4, then on the hostile one, then card-4 again
                browser.findElement(By.id("reviewer")).clear();
                browser.findElement(By.id("reviewer")).sendKeys("ana");
                click(wait, browser, "card-4", "button.confirm");
                wait.until(b -> row(browser, "card-4").getText().contains("confirmed fraud by ana"));
                click(wait, browser, HOSTILE_ID, "button.false-alarm");
                wait.until(b -> row(browser, HOSTILE_ID).getText().contains("false alarm by ana"));
                click(wait, browser, "card-4", "button.confirm");
                wait.until(b -> "0.500".equals(b.findElement(By.id("precision")).getText()));
                wait.until(b -> !b.findElement(By.id("scorer-model")).getText().equals("–"));

                // Then the page says who decided, shows the live precision and the scorer's figures, and filters
                assertThat(browser.findElement(By.id("scorer-model")).getText()).isEqualTo("console-it-v1");
                assertThat(browser.findElements(By.cssSelector("#pr-curve polyline"))).hasSize(1);
                Path shot = Paths.get("target", "console-browser.png");
                Files.createDirectories(shot.getParent());
                Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
                        StandardCopyOption.REPLACE_EXISTING);
                browser.findElement(By.id("filter-unreviewed")).click();
                wait.until(b -> b.findElements(By.cssSelector("#alert-rows tr")).size() == ids.size() - 2);

                // When the verdicts on the labels topic were not all read at start, the page says so and why
                assertThat(browser.findElement(By.id("history-warning")).isDisplayed()).isFalse();
                console.labels().historyRead(new LabelWriter.History(List.of(), "could not read topic x to its end"));
                wait.until(b -> b.findElement(By.id("history-warning")).isDisplayed());
                assertThat(browser.findElement(By.id("history-warning")).getText())
                        .contains("not all read", "could not read topic x to its end");

                // When the scorer stops, its figures are no longer shown as current: the model, flag rate and p99
                // are cleared and the throughput cell says why
                scorer.close();
                wait.until(b -> b.findElement(By.id("scorer-model")).getText().equals("–"));
                assertThat(browser.findElement(By.id("scorer-flag-rate")).getText()).isEqualTo("–");
                assertThat(browser.findElement(By.id("scorer-p99")).getText()).isEqualTo("–");
                assertThat(browser.findElement(By.id("scorer-throughput")).getText()).contains("no scorer answers at");
            } finally {
                browser.quit();
            }
        }

        // And the labels topic holds exactly one label per alert and action: card-4 confirmed, the hostile one cleared
        List<ConsumerRecord<String, byte[]>> labels = ConsoleKafka.readAll(broker, topics.labels(), Duration.ofSeconds(3));
        assertThat(labels).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("card-4", HOSTILE_ID);
        for (ConsumerRecord<String, byte[]> r : labels) {
            Verdict v = LabelWriter.fromHeaders(r.headers());
            assertThat(v.reviewer()).isEqualTo("ana");
            assertThat(v.action()).isEqualTo(r.key().equals("card-4") ? Verdict.Action.CONFIRMED_FRAUD : Verdict.Action.FALSE_ALARM);
        }
        assertThat(new File("target/console-browser.png")).exists();
    }

    /**
     * A restarted console, or one behind a backlog, reads the flagged topic partition by partition, so alerts arrive
     * out of time order: the page lists them newest first by scoring time, in its first list and as they come.
     */
    @Test
    @Timeout(180)
    void shouldListAlertsNewestFirstByScoringTimeWhateverOrderTheyArriveIn(TestBroker broker) throws Exception {
        requireBrowser();
        Topics topics = ConsoleKafka.topics(broker, "console-order");
        long t = System.currentTimeMillis() - 600_000;
        for (int k : new int[] {1, 3, 2}) {
            ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-at-" + k, 0.9,
                    t + k * 1_000L));
        }
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-order", "127.0.0.1", 0, null, null, 100))) {
            // an analyst in Tokyo: the scoring time shows in the browser's local time, as verdicts and warnings do
            // (creditcard alerts showed it in UTC, unmarked)
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-order")), 0, "Asia/Tokyo");
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(console.url());
                wait.until(b -> rowIds(browser).size() == 3);
                assertThat(rowIds(browser)).containsExactly("tx-at-3", "tx-at-2", "tx-at-1");
                assertThat(browser.executeScript("return document.querySelector('#alert-rows td.time').textContent;"))
                        .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(
                                java.time.Instant.ofEpochMilli(t + 3_000).atZone(java.time.ZoneId.of("Asia/Tokyo"))));
                // one scored before all of them arrives late, then a new one
                ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-at-0", 0.9, t));
                wait.until(b -> rowIds(browser).size() == 4);
                ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-at-4", 0.9,
                        t + 4_000));
                wait.until(b -> rowIds(browser).size() == 5);
                assertThat(rowIds(browser)).containsExactly("tx-at-4", "tx-at-3", "tx-at-2", "tx-at-1", "tx-at-0");
            } finally {
                browser.quit();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> rowIds(ChromeDriver browser) {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#alert-rows tr')].map(tr => tr.dataset.id);");
    }

    @Test
    @Timeout(180)
    void shouldWriteFromThePageOnlyWithTheTokenWhenOneIsSet(TestBroker broker) throws Exception {
        requireBrowser();

        // Given a console that requires a token, with one alert in the scorer's format on its flagged topic
        String token = "browser-test-token-0123456789";
        Topics topics = ConsoleKafka.topics(broker, "console-token");
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-token", 0.9));
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-token", "127.0.0.1", 0, token, null, 100))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-token")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);

                // When the page is opened without the token and "confirmed fraud" is clicked
                browser.get(console.url());
                wait.until(b -> row(browser, "tx-token") != null);
                assertThat(browser.findElement(By.id("token-box")).isDisplayed()).isTrue();
                click(wait, browser, "tx-token", "button.confirm");

                // Then the page shows the refusal and nothing is written
                wait.until(b -> row(browser, "tx-token").getText().contains("a valid console token is required"));

                // When it is opened with a wrong token in the fragment (not even valid percent-encoding) and clicked
                browser.get(console.url() + "#token=wrong%zz");
                wait.until(b -> row(browser, "tx-token") != null);
                click(wait, browser, "tx-token", "button.confirm");

                // Then the refusal shows, the wrong token is forgotten and the box is back to type the right one in
                wait.until(b -> row(browser, "tx-token").getText().contains("a valid console token is required"));
                wait.until(b -> browser.findElement(By.id("token-box")).isDisplayed());
                browser.findElement(By.id("token")).sendKeys(token);
                click(wait, browser, "tx-token", "button.confirm");
                wait.until(b -> row(browser, "tx-token").getText().contains("confirmed fraud by"));

                // When it is opened with the token in the address's fragment (never sent to the server)
                browser.get(console.url() + "#token=" + token);
                wait.until(b -> row(browser, "tx-token") != null);
                assertThat(browser.getCurrentUrl()).doesNotContain(token);
                click(wait, browser, "tx-token", "button.confirm");

                // Then the verdict stands, written once
                wait.until(b -> row(browser, "tx-token").getText().contains("confirmed fraud by"));
            } finally {
                browser.quit();
            }
        }
        List<ConsumerRecord<String, byte[]>> labels = ConsoleKafka.readAll(broker, topics.labels(), Duration.ofSeconds(3));
        assertThat(labels).extracting(ConsumerRecord::key).containsExactly("tx-token");
    }

    /**
     * The page opened as {@code #token=…} with a token the console takes (any printable Latin-1) writes: a token with
     * '&' in it was cut there (the page read the fragment as '&'-separated parameters), every click was refused, and
     * the token had to be typed in by hand.
     */
    @Test
    @Timeout(180)
    void shouldTakeTheWholeTokenFromTheAddressWhateverItsCharacters(TestBroker broker) throws Exception {
        requireBrowser();

        String token = "fraud&console=token-0123456789";
        Topics topics = ConsoleKafka.topics(broker, "console-token-amp");
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-amp", 0.9));
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-token-amp", "127.0.0.1", 0, token, null, 10))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-token-amp")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(console.url() + "#token=" + token);
                wait.until(b -> row(browser, "tx-amp") != null);
                click(wait, browser, "tx-amp", "button.confirm");
                wait.until(b -> row(browser, "tx-amp").getText().contains("confirmed fraud by"));
            } finally {
                browser.quit();
            }
        }
    }

    /** Opens an event stream as a client that holds it without reading; returns the socket once the answer began. */
    private static java.net.Socket holdStream(java.net.URI console) throws java.io.IOException {
        RawHttp.Answer a = RawHttp.send(console.getPort(), "GET /events", "Host: " + console.getHost() + ":"
                + console.getPort());
        if (a.status() != 200) {
            a.close();
            throw new java.io.IOException("event stream refused: " + a.status());
        }
        return a.socket();
    }

    /**
     * A refused event stream (a non-200 answer: here the console's limit of open streams) makes a browser's
     * EventSource give up for good; the page must open a new one itself once the console takes streams again.
     */
    @Test
    @Timeout(180)
    void shouldOpenANewEventStreamAfterTheConsoleRefusedOne(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-reconnect");
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-reconnect", 0.9));
        List<java.net.Socket> held = new ArrayList<>();
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-reconnect", "127.0.0.1", 0, null, null, 100))) {
            // Given every event-stream place of the console taken by other clients
            java.net.URI uri = java.net.URI.create(console.url());
            for (int i = 0; i < ConsoleServer.MAX_STREAMS; i++) {
                held.add(holdStream(uri));
            }
            Assertions.assertThrows(java.io.IOException.class, () -> holdStream(uri).close());
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-reconnect")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);

                // When the page is opened: its stream is refused, and it says so
                browser.get(console.url());
                wait.until(b -> "reconnecting…".equals(b.findElement(By.id("connection")).getText()));
                assertThat(row(browser, "tx-reconnect")).isNull();

                // When the other clients leave
                for (java.net.Socket s : held) {
                    s.close();
                }
                held.clear();

                // Then the page opens a new stream by itself (no reload) and shows the alert
                wait.until(b -> row(browser, "tx-reconnect") != null);
                wait.until(b -> "live".equals(b.findElement(By.id("connection")).getText()));
            } finally {
                browser.quit();
            }
        } finally {
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    /**
     * The model filter offers the versions of the alerts the page holds: one option per version ever seen grew without
     * bound (30 forged records naming 30 versions made 31 options on a page holding 5 alerts).
     */
    @Test
    @Timeout(180)
    void shouldOfferOnlyTheModelVersionsOfTheAlertsHeld(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-models");
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-models", "127.0.0.1", 0, null, null, 5))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-models")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                browser.get(console.url());
                wait.until(b -> "live".equals(b.findElement(By.id("connection")).getText()));
                // When 30 alerts, each of another model version, stream in to a page that holds 5
                String version = "\"modelVersion\":\"" + FlaggedRecords.MODEL.modelVersion() + "\"";
                for (int i = 0; i < 30; i++) {
                    String r = new String(FlaggedRecords.creditcard("tx-m" + i, 0.9, System.currentTimeMillis() + i),
                            java.nio.charset.StandardCharsets.UTF_8);
                    assertThat(r).contains(version);
                    ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.utf8(r.replace(version,
                            "\"modelVersion\":\"v-" + i + "\"")));
                }
                wait.until(b -> row(browser, "tx-m29") != null);
                // Then the filter offers "all" and the versions of the 5 alerts held
                wait.until(b -> ((Number) browser.executeScript(
                        "return document.getElementById('filter-model').options.length")).intValue() == 6);
                assertThat(browser.executeScript("return [...document.getElementById('filter-model').options]"
                        + ".map(o => o.value).join(',')")).isEqualTo(",v-25,v-26,v-27,v-28,v-29");
            } finally {
                browser.quit();
            }
        }
    }

    /** The page says when the flagged topic does not exist (it read "live", no alert able to come), until it does. */
    @Test
    @Timeout(180)
    void shouldSayOnThePageThatTheFlaggedTopicDoesNotExistUntilItDoes(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-no-topic");
        String flagged = topics.flagged() + ".not-yet";
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                flagged, topics.labels(), "console-no-topic", "127.0.0.1", 0, null, null, 5))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-no-topic")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                browser.get(console.url());
                wait.until(b -> b.findElement(By.id("flagged-warning")).isDisplayed());
                assertThat(browser.findElement(By.id("flagged-warning")).getText()).startsWith("topic " + flagged
                        + " does not exist (since ").contains("no alert can come until the scorer creates it");

                broker.createTopic(flagged, 1);
                ConsoleKafka.produceValue(broker, flagged, FlaggedRecords.creditcard("tx-late", 0.9));
                wait.until(b -> row(browser, "tx-late") != null);
                wait.until(b -> !b.findElement(By.id("flagged-warning")).isDisplayed());
            } finally {
                browser.quit();
            }
        }
    }

    /** One alert with long values without spaces does not push the verdict buttons of the page out of the window. */
    @Test
    @Timeout(180)
    void shouldKeepTheVerdictButtonsInTheWindowWhateverAnAlertsValues(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-wide");
        String r = new String(FlaggedRecords.creditcard("tx-wide", 0.9, System.currentTimeMillis()),
                java.nio.charset.StandardCharsets.UTF_8);
        String version = "\"modelVersion\":\"" + FlaggedRecords.MODEL.modelVersion() + "\"";
        assertThat(r).contains(version).contains("\"feature\":\"V1\"").contains("\"event\":{");
        String wide = "W".repeat(2_000);
        r = r.replace(version, "\"modelVersion\":\"" + wide + "\"").replace("\"feature\":\"V1\"",
                "\"feature\":\"" + wide + "\"").replace("\"event\":{", "\"event\":{\"CUSTOMER_ID\":\"" + wide + "\",");
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.utf8(r));
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-wide", "127.0.0.1", 0, null, null, 10))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-wide")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                browser.get(console.url());
                wait.until(b -> row(browser, "tx-wide") != null);
                Number right = (Number) browser.executeScript(
                        "return document.querySelector('#alert-rows .false-alarm').getBoundingClientRect().right");
                Number window = (Number) browser.executeScript("return document.documentElement.clientWidth");
                assertThat(right.doubleValue()).as("the button's right edge, in a window %s wide", window)
                        .isLessThanOrEqualTo(window.doubleValue());
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * A verdict given from the keyboard leaves the focus on the alert's buttons: the row is replaced when its verdict
     * comes back, and the focused button went with it (the focus fell back to the page's start, and the next Tab
     * began there). With "unreviewed only" the judged alert leaves the list and the focus moves to the next one.
     */
    @Test
    @Timeout(180)
    void shouldKeepTheKeyboardFocusOnTheAlertsBeingJudged(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-keys");
        long t = System.currentTimeMillis() - 60_000;
        for (int k = 1; k <= 4; k++) {
            ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-key-" + k, 0.9,
                    t + k * 1_000L));
        }
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-keys", "127.0.0.1", 0, null, null, 10))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-keys")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(console.url());
                wait.until(b -> rowIds(browser).size() == 4);

                // When Enter is pressed on "confirmed fraud" of one alert
                row(browser, "tx-key-2").findElement(By.cssSelector("button.confirm")).sendKeys(Keys.ENTER);
                wait.until(b -> row(browser, "tx-key-2").getAttribute("class").equals("reviewed-fraud"));
                // Then the focus is on that button of the row shown now
                assertThat(focused(browser)).isEqualTo("tx-key-2 confirm");

                // And with "unreviewed only", each Enter on "false alarm" judges one alert and moves to the next
                browser.findElement(By.id("filter-unreviewed")).click();
                wait.until(b -> rowIds(browser).size() == 3);
                row(browser, "tx-key-4").findElement(By.cssSelector("button.false-alarm")).sendKeys(Keys.ENTER);
                wait.until(b -> rowIds(browser).equals(List.of("tx-key-3", "tx-key-1")));
                assertThat(focused(browser)).isEqualTo("tx-key-3 false-alarm");
                browser.switchTo().activeElement().sendKeys(Keys.ENTER);
                wait.until(b -> rowIds(browser).equals(List.of("tx-key-1")));
                assertThat(focused(browser)).isEqualTo("tx-key-1 false-alarm");
                assertThat(ConsoleKafka.readAll(broker, topics.labels(), Duration.ofSeconds(2))).hasSize(3);
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * A click the console cannot answer says so in words: a console stopped (or restarting) read "not sent: TypeError:
     * Failed to fetch", and an error page of a proxy in front of it "not sent: SyntaxError: Unexpected token '<', ...
     * is not valid JSON", the browser's words for what the analyst needs to know: the verdict is not saved.
     */
    @Test
    @Timeout(180)
    void shouldSayInWordsThatAVerdictWasNotSavedWhenTheConsoleDoesNotAnswer(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-gone");
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-gone", 0.9,
                System.currentTimeMillis()));
        com.sun.net.httpserver.HttpServer proxy = null;
        ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-gone")));
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-gone", "127.0.0.1", 0, null, null, 10))) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            wait.ignoring(StaleElementReferenceException.class);
            browser.get(console.url());
            wait.until(b -> row(browser, "tx-gone") != null);

            // When the console stops and the analyst clicks "confirmed fraud"
            int port = console.port();
            console.close();
            wait.until(b -> "reconnecting…".equals(b.findElement(By.id("connection")).getText()));
            click(wait, browser, "tx-gone", "button.confirm");

            // Then the alert says the verdict is not saved because the console does not answer
            String error = wait.until(b -> row(browser, "tx-gone").findElement(By.cssSelector(".error")).getText());
            assertThat(error).startsWith("not saved: the console does not answer").doesNotContain("TypeError");

            // When a proxy in its place answers with an HTML error page
            proxy = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", port), 0);
            proxy.createContext("/", ex -> {
                byte[] page = FlaggedRecords.utf8("<html><body>502 Bad Gateway</body></html>");
                ex.getResponseHeaders().set("Content-Type", "text/html");
                ex.sendResponseHeaders(502, page.length);
                ex.getResponseBody().write(page);
                ex.close();
            });
            proxy.start();
            click(wait, browser, "tx-gone", "button.false-alarm");

            // Then the alert names the answer, not a JSON parser's complaint
            wait.until(b -> row(browser, "tx-gone").findElement(By.cssSelector(".error")).getText()
                    .startsWith("not saved: HTTP 502"));
        } finally {
            browser.quit();
            if (proxy != null) {
                proxy.stop(0);
            }
        }
        assertThat(ConsoleKafka.readAll(broker, topics.labels(), Duration.ofSeconds(2))).isEmpty();
    }

    /**
     * The page says why flagged records were skipped: it showed "skipped records 2" and nothing else, the reason
     * being only in {@code /api/state}, while no log line said it either.
     */
    @Test
    @Timeout(180)
    void shouldSayOnThePageWhyTheLatestSkippedRecordWasSkipped(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-skipped");
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.utf8("<html>not a scored event"));
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-fine", 0.9));
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-skipped", "127.0.0.1", 0, null, null, 10))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-skipped")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                browser.get(console.url());
                wait.until(b -> row(browser, "tx-fine") != null);
                wait.until(b -> "1".equals(b.findElement(By.id("malformed")).getText()));

                // Then the figure says why, the markup in the reason as text
                WebElement why = wait.until(b -> b.findElement(By.id("malformed-reason")));
                wait.until(b -> why.isDisplayed());
                assertThat(why.getText()).startsWith("latest: not JSON: Unexpected character ('<'");
                assertThat(why.getAttribute("title")).startsWith("not JSON: Unexpected character ('<'");
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * A screen reader hears which alert a verdict button is for, and which verdict stands: every row's buttons were
     * named "confirmed fraud" and "false alarm" alone (500 alike on a full page), and after Enter the focused button
     * read the same as before, the verdict shown only by the row's colour and a line of text beside it.
     */
    @Test
    @Timeout(180)
    void shouldNameTheAlertAndTheStandingVerdictOnTheVerdictButtons(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-a11y");
        long t = System.currentTimeMillis() - 60_000;
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-a11y-1", 0.9, t));
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-a11y-2", 0.9, t + 1_000));
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-a11y", "127.0.0.1", 0, null, null, 10))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-a11y")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(console.url());
                wait.until(b -> rowIds(browser).size() == 2);
                WebElement confirm = row(browser, "tx-a11y-2").findElement(By.cssSelector("button.confirm"));
                assertThat(confirm.getAccessibleName()).isEqualTo("confirmed fraud, alert tx-a11y-2");
                assertThat(row(browser, "tx-a11y-1").findElement(By.cssSelector("button.false-alarm"))
                        .getAccessibleName()).isEqualTo("false alarm, alert tx-a11y-1");
                assertThat(confirm.getAttribute("aria-pressed")).isEqualTo("false");

                // When Enter is pressed on "false alarm" of one alert
                row(browser, "tx-a11y-2").findElement(By.cssSelector("button.false-alarm")).sendKeys(Keys.ENTER);
                wait.until(b -> row(browser, "tx-a11y-2").getAttribute("class").equals("reviewed-ok"));

                // Then the focused button reads as pressed, its neighbour not, and the other alert's neither
                WebElement focused = browser.switchTo().activeElement();
                assertThat(focused.getAccessibleName()).isEqualTo("false alarm, alert tx-a11y-2");
                assertThat(focused.getAttribute("aria-pressed")).isEqualTo("true");
                assertThat(row(browser, "tx-a11y-2").findElement(By.cssSelector("button.confirm"))
                        .getAttribute("aria-pressed")).isEqualTo("false");
                assertThat(row(browser, "tx-a11y-1").findElement(By.cssSelector("button.false-alarm"))
                        .getAttribute("aria-pressed")).isEqualTo("false");
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * A raw payment's own time reads as a time whichever of the scorer's two forms its producer wrote: the integer form
     * (seconds since 1970 on the payment's wall clock, which the scorer takes as well as the handbook's string) showed
     * as "payment 1522540831" under the scoring time.
     */
    @Test
    @Timeout(180)
    void shouldShowARawPaymentsOwnTimeAsATimeWhicheverFormItsProducerWrote(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-raw-time");
        long seconds = 1_522_540_831L; // 2018-04-01T00:00:31 on the payment's wall clock
        String asText = new String(FlaggedRecords.raw(81, seconds, 12, 7, 57.3, 0.9), StandardCharsets.UTF_8);
        String asNumber = new String(FlaggedRecords.raw(82, seconds, 12, 7, 57.3, 0.9), StandardCharsets.UTF_8)
                .replace("\"TX_DATETIME\":\"2018-04-01T00:00:31\"", "\"TX_DATETIME\":" + seconds);
        assertThat(asNumber).contains("\"TX_DATETIME\":1522540831,");
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.utf8(asText));
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.utf8(asNumber));
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-raw-time", "127.0.0.1", 0, null, null, 10))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-raw-time")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(console.url());
                wait.until(b -> rowIds(browser).size() == 2);
                for (String id : List.of("81", "82")) {
                    assertThat(row(browser, id).findElement(By.cssSelector("td.time .who")).getText()).as(id)
                            .isEqualTo("payment 2018-04-01 00:00:31");
                }
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * A labels topic that does not exist (a mistyped --labels-topic, or a cluster where nobody created it) is said in
     * the page's header, a click says the verdict is not saved and why, at once, and the console never creates it: on
     * a broker that creates topics on demand its producer created the topic with the broker's defaults and wrote the
     * verdict where no scorer or retraining reads it; on one that does not, the click waited 15 s and read "Kafka did
     * not answer in time ... give it again once Kafka is back", Kafka answering all along.
     */
    @Test
    @Timeout(180)
    void shouldSayThatTheLabelsTopicDoesNotExistAndNeverCreateIt(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-no-labels");
        String labels = topics.labels() + ".not-yet";
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-unlabelled", 0.9,
                System.currentTimeMillis()));
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), labels, "console-no-labels", "127.0.0.1", 0, null, null, 10))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-no-labels")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(console.url());
                wait.until(b -> row(browser, "tx-unlabelled") != null);
                wait.until(b -> b.findElement(By.id("labels-warning")).isDisplayed());
                assertThat(browser.findElement(By.id("labels-warning")).getText()).startsWith("topic " + labels
                        + " does not exist (since ").contains("verdicts cannot be saved");

                // When the analyst clicks "confirmed fraud"
                long start = System.nanoTime();
                click(wait, browser, "tx-unlabelled", "button.confirm");

                // Then the alert says why the verdict is not saved, without waiting for a timeout
                String error = wait.until(b -> row(browser, "tx-unlabelled").findElement(By.cssSelector(".error"))
                        .getText());
                assertThat(error).contains("topic " + labels + " does not exist")
                        .doesNotContain("Kafka did not answer");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                        java.util.Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                    assertThat(admin.listTopics().names().get()).doesNotContain(labels);
                }

                // When the topic is created, the warning goes and a click writes the label
                broker.createTopic(labels, 2);
                wait.until(b -> !b.findElement(By.id("labels-warning")).isDisplayed());
                click(wait, browser, "tx-unlabelled", "button.confirm");
                wait.until(b -> row(browser, "tx-unlabelled").getText().contains("confirmed fraud by"));
            } finally {
                browser.quit();
            }
        }
        assertThat(ConsoleKafka.readAll(broker, labels, Duration.ofSeconds(3))).hasSize(1);
    }

    /**
     * A verdict that is not saved is said to a screen reader on the button that keeps the focus: the reason showed in
     * the row, and the focused button read as before the click, as if it had been taken.
     */
    @Test
    @Timeout(180)
    void shouldDescribeAVerdictNotSavedOnTheButtonThatKeepsTheFocus(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-a11y-error");
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-refused", 0.9,
                System.currentTimeMillis()));
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-a11y-error", "127.0.0.1", 0, "a11y-test-token-0123456789",
                null, 10))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-a11y-error")));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(console.url());
                wait.until(b -> row(browser, "tx-refused") != null);

                // When Enter is pressed on "confirmed fraud" without the token
                row(browser, "tx-refused").findElement(By.cssSelector("button.confirm")).sendKeys(Keys.ENTER);
                wait.until(b -> row(browser, "tx-refused").getText().contains("a valid console token is required"));

                // Then the button that has the focus is described by the refusal
                assertThat(focused(browser)).isEqualTo("tx-refused confirm");
                assertThat(browser.executeScript("const ids = document.activeElement.getAttribute('aria-describedby');"
                        + " return (ids || '').split(' ').map(i => document.getElementById(i))"
                        + ".filter(e => e).map(e => e.textContent).join(' ');"))
                        .isEqualTo("a valid console token is required to write");
            } finally {
                browser.quit();
            }
        }
    }

    /** The alert and the button that has the keyboard focus ("tx-1 confirm"), or the tag of what has it. */
    private static String focused(ChromeDriver browser) {
        return (String) browser.executeScript("const e = document.activeElement;"
                + " const tr = e.closest('#alert-rows tr');"
                + " return tr ? tr.dataset.id + ' ' + e.className : e.tagName;");
    }

    /**
     * On a phone (390 CSS pixels) each alert's amount, probability and verdict buttons are in the screen: the table's
     * ten columns made the page 940 pixels wide, and only the time, id, card and terminal were in sight.
     */
    @Test
    @Timeout(180)
    void shouldShowAnAlertsFiguresAndVerdictButtonsOnAPhone(TestBroker broker) throws Exception {
        requireBrowser();

        Topics topics = ConsoleKafka.topics(broker, "console-phone");
        ConsoleKafka.produceValue(broker, topics.flagged(), FlaggedRecords.creditcard("tx-phone", 0.9,
                System.currentTimeMillis()));
        try (AnalystConsole console = AnalystConsole.start(new ConsoleConfig(ConsoleKafka.connection(broker),
                topics.flagged(), topics.labels(), "console-phone", "127.0.0.1", 0, null, null, 10))) {
            ChromeDriver browser = chrome(Files.createDirectories(dir.resolve("profile-phone")), 390);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                browser.get(console.url());
                wait.until(b -> row(browser, "tx-phone") != null);
                Path shot = Paths.get("target", "console-phone.png");
                Files.createDirectories(shot.getParent());
                Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot,
                        StandardCopyOption.REPLACE_EXISTING);
                for (String cell : List.of("td.probability", "td.amount", ".false-alarm", ".confirm")) {
                    Number right = (Number) browser.executeScript("return document.querySelector('#alert-rows "
                            + cell + "').getBoundingClientRect().right");
                    assertThat(right.doubleValue()).as("the right edge of %s", cell).isLessThanOrEqualTo(390);
                }
                assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth"))
                        .intValue()).as("the page's width").isLessThanOrEqualTo(390);
            } finally {
                browser.quit();
            }
        }
    }
}
