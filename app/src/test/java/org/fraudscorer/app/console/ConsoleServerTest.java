package org.fraudscorer.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP side without Kafka: what a write must carry, and what every response says about itself. */
class ConsoleServerTest {
    private static final String TOKEN = "s3cret-token-0123456789";
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer());
    private final AlertBuffer buffer = new AlertBuffer(10);
    private final HttpClient http = HttpClient.newHttpClient();
    private ConsoleServer server;

    private ConsoleServer start(String token) throws Exception {
        ConsoleConfig config = new ConsoleConfig(new Properties(), "flagged", "labels", "g", "127.0.0.1", 0, token, null, 10);
        server = new ConsoleServer(config, buffer, new LabelWriter(producer, "labels", 100, System::currentTimeMillis),
                null, System::currentTimeMillis);
        buffer.add(FlaggedRecords.creditcard("<script>alert(1)</script>", 0.9), System.currentTimeMillis());
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<String> post(String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/api/verdicts"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String VERDICT = "{\"id\":\"<script>alert(1)</script>\",\"action\":\"confirmed_fraud\",\"reviewer\":\"ana\"}";

    @Test
    void shouldWriteOneLabelForAWellFormedSameOriginVerdict() throws Exception {
        start(null);
        var r = post(VERDICT, "Content-Type", "application/json", "X-Fraud-Console", "1", "Origin", base());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        var again = post(VERDICT, "Content-Type", "application/json", "X-Fraud-Console", "1", "Origin", base());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"written\":false");
        assertThat(producer.history()).hasSize(1);
        assertThat(buffer.verdicts("<script>alert(1)</script>")).hasSize(1);
    }

    @Test
    void shouldRefuseWritesThatACrossSitePageCouldSend() throws Exception {
        start(null);
        assertThat(post(VERDICT, "Content-Type", "text/plain", "X-Fraud-Console", "1").statusCode()).isEqualTo(403);
        assertThat(post(VERDICT, "Content-Type", "application/json").statusCode()).isEqualTo(403);
        assertThat(post(VERDICT, "Content-Type", "application/json", "X-Fraud-Console", "1", "Origin", "http://evil.example")
                .statusCode()).isEqualTo(403);
        assertThat(post(VERDICT, "Content-Type", "application/json", "X-Fraud-Console", "1", "Sec-Fetch-Site", "cross-site")
                .statusCode()).isEqualTo(403);
        var get = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/verdicts")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRequireTheTokenOnEveryWriteWhenOneIsSet() throws Exception {
        start(TOKEN);
        assertThat(post(VERDICT, "Content-Type", "application/json", "X-Fraud-Console", "1").statusCode()).isEqualTo(403);
        assertThat(post(VERDICT, "Content-Type", "application/json", "X-Fraud-Console", "1", "X-Console-Token", "wrong")
                .statusCode()).isEqualTo(403);
        assertThat(producer.history()).isEmpty();
        assertThat(post(VERDICT, "Content-Type", "application/json", "X-Fraud-Console", "1", "X-Console-Token", TOKEN)
                .statusCode()).isEqualTo(201);
        assertThat(producer.history()).hasSize(1);
    }

    /**
     * Ids come from the payments' producers and may repeat: the verdict is written for the alert the analyst clicked
     * (its arrival number), not for the newest alert with that id, which is another payment at another terminal.
     */
    @Test
    void shouldLabelTheAlertClickedOnWhenALaterAlertHasTheSameId() throws Exception {
        start(null);
        long now = FlaggedRecords.SCORED_AT;
        long clicked = buffer.add(FlaggedRecords.raw(42, 1_522_540_800L, 7, 111, 10.0, 0.9), now).orElseThrow().seq();
        buffer.add(FlaggedRecords.raw(42, 1_522_541_000L, 8, 999, 20.0, 0.95), now); // same id, another terminal
        String[] h = {"Content-Type", "application/json", "X-Fraud-Console", "1"};
        var r = post("{\"id\":\"42\",\"seq\":" + clicked + ",\"action\":\"confirmed_fraud\",\"reviewer\":\"ana\"}", h);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(producer.history()).hasSize(1);
        String label = new String(producer.history().get(0).value(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(label).contains("\"TERMINAL_ID\":111").doesNotContain("999");
        assertThat(post("{\"id\":\"43\",\"seq\":" + clicked + ",\"action\":\"false_alarm\",\"reviewer\":\"a\"}", h)
                .statusCode()).as("an arrival number with another id").isEqualTo(404);
    }

    @Test
    void shouldRefuseBadBodiesAndUnknownAlerts() throws Exception {
        start(null);
        String[] h = {"Content-Type", "application/json", "X-Fraud-Console", "1"};
        assertThat(post("not json", h).statusCode()).isEqualTo(400);
        assertThat(post("{\"id\":\"x\",\"action\":\"delete_everything\",\"reviewer\":\"a\"}", h).statusCode()).isEqualTo(400);
        assertThat(post("{\"id\":\"x\",\"action\":\"false_alarm\",\"reviewer\":\"\"}", h).statusCode()).isEqualTo(400);
        // a right-to-left override made a name display as another on the page
        assertThat(post("{\"id\":\"x\",\"action\":\"false_alarm\",\"reviewer\":\"an\\u202ea\"}", h).statusCode())
                .isEqualTo(400);
        assertThat(post("{\"id\":\"nope\",\"action\":\"false_alarm\",\"reviewer\":\"a\"}", h).statusCode()).isEqualTo(404);
        assertThat(post("{\"id\":\"" + "x".repeat(5000) + "\"}", h).statusCode()).isEqualTo(413);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldServeThePageWithAPolicyThatForbidsInlineScriptsAndFraming() throws Exception {
        start(null);
        for (String path : new String[] {"/", "/console.js", "/console.css", "/api/state"}) {
            var r = http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
        String js = http.send(HttpRequest.newBuilder(URI.create(base() + "/console.js")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(js).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");
    }

    @Test
    void shouldAnswerOnlyToLoopbackHostNamesWhenBoundToLoopback() throws Exception {
        start(null);
        assertThat(rawStatus("Host: attacker.example:" + server.port())).isEqualTo(421);
        assertThat(rawStatus("Host: localhost:" + server.port())).isEqualTo(200);
    }

    /**
     * Bound beyond loopback, the console answers to IP addresses and the names the operator listed only: a page of
     * another site that rebinds its own name to the console's address sends that name as its Host, and is refused.
     */
    @Test
    void shouldAnswerOnlyToAddressesAndListedNamesWhenExposed() throws Exception {
        ConsoleConfig config = new ConsoleConfig(new Properties(), "flagged", "labels", "g", "0.0.0.0", 0, TOKEN, null,
                10, java.util.Set.of("Console.Bank.Internal"));
        server = new ConsoleServer(config, buffer, new LabelWriter(producer, "labels", 100, System::currentTimeMillis),
                null, System::currentTimeMillis);
        int port = server.port();
        assertThat(rawStatus("Host: 127.0.0.1:" + port)).isEqualTo(200);
        assertThat(rawStatus("Host: 10.1.2.3:" + port)).isEqualTo(200);
        assertThat(rawStatus("Host: [fe80::1]:" + port)).isEqualTo(200);
        assertThat(rawStatus("Host: console.bank.internal:" + port)).isEqualTo(200);
        assertThat(rawStatus("Host: evil.example:" + port)).isEqualTo(421);
        assertThat(rawStatus("Host: 10.1.2.3.evil.example")).isEqualTo(421);
        assertThat(rawStatus("Host: localhost:" + port)).as("not listed").isEqualTo(421);
    }

    /**
     * A console on loopback behind a TLS proxy on the same machine (what console.md advises for TLS) answers to the
     * names the proxy passes on: it refused them (421), and a proxy that rewrote the Host to 127.0.0.1 had every
     * verdict refused as cross-origin, the browser's Origin being the proxy's name; --console-host-names was silently
     * ignored on loopback. Names given on loopback expose the console beyond this machine, so they take a token.
     */
    @Test
    void shouldAnswerBehindAProxyOnThisMachineToTheNamesGivenWithAToken() throws Exception {
        ConsoleConfig config = new ConsoleConfig(new Properties(), "flagged", "labels", "g", "127.0.0.1", 0, TOKEN,
                null, 10, java.util.Set.of("console.bank.internal"));
        server = new ConsoleServer(config, buffer, new LabelWriter(producer, "labels", 100, System::currentTimeMillis),
                null, System::currentTimeMillis);
        buffer.add(FlaggedRecords.creditcard("tx-proxied", 0.9), System.currentTimeMillis());
        assertThat(rawStatus("Host: console.bank.internal")).isEqualTo(200);
        assertThat(rawStatus("Host: evil.example")).isEqualTo(421);
        assertThat(rawStatus("Host: 127.0.0.1:" + server.port())).isEqualTo(200);

        // a verdict from the page at https://console.bank.internal/, as the proxy passes it on
        String body = "{\"id\":\"tx-proxied\",\"action\":\"confirmed_fraud\",\"reviewer\":\"ana\"}";
        try (RawHttp.Answer a = RawHttp.send(server.port(), "POST /api/verdicts", "Host: console.bank.internal",
                "Origin: https://console.bank.internal", "Sec-Fetch-Site: same-origin",
                "Content-Type: application/json", "X-Fraud-Console: 1", "X-Console-Token: " + TOKEN,
                "Connection: close", "Content-Length: " + body.length() + "\r\n\r\n" + body)) {
            assertThat(a.status()).isEqualTo(201);
        }
        assertThat(producer.history()).hasSize(1);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConsoleConfig(new Properties(), "f", "l", "g",
                "127.0.0.1", 0, null, null, 10, java.util.Set.of("console.bank.internal")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--console-host-names")
                .hasMessageContaining("token");
    }

    @Test
    void shouldRefuseToExposeTheConsoleWithoutAToken() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConsoleConfig(new Properties(), "f", "l", "g",
                "0.0.0.0", 0, null, null, 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
        assertThat(new ConsoleConfig(new Properties(), "f", "l", "g", "0.0.0.0", 0, TOKEN, null, 10).loopback()).isFalse();
    }

    /**
     * Twice as many clients as places open event streams at once: exactly {@link ConsoleServer#MAX_STREAMS} are
     * answered 200 and hold their place, every other is refused with 503, however the requests interleave (a client
     * that saw its 200 counts at once: the limit is taken before the answer, not after).
     */
    @Test
    void shouldAnswerExactlyAsManyEventStreamsAsItHasPlacesWhenClientsComeAtOnce() throws Exception {
        start(null);
        int clients = 2 * ConsoleServer.MAX_STREAMS;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<RawHttp.Answer>> answers = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return RawHttp.send(server.port(), "GET /events", "Host: 127.0.0.1:" + server.port());
                }));
            }
            go.countDown();
            java.util.List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<RawHttp.Answer> a : answers) {
                statuses.add(a.get(30, java.util.concurrent.TimeUnit.SECONDS).status());
            }
            assertThat(statuses).filteredOn(st -> st == 200).hasSize(ConsoleServer.MAX_STREAMS);
            assertThat(statuses).filteredOn(st -> st == 503).hasSize(clients - ConsoleServer.MAX_STREAMS);
            // every place is held: the next client is refused too
            try (RawHttp.Answer next = RawHttp.send(server.port(), "GET /events", "Host: 127.0.0.1:" + server.port())) {
                assertThat(next.status()).isEqualTo(503);
            }
        } finally {
            for (java.util.concurrent.Future<RawHttp.Answer> a : answers) {
                if (a.isDone() && !a.isCancelled()) {
                    try {
                        a.get().close();
                    } catch (java.util.concurrent.ExecutionException ignored) {
                        // that client never got an answer: nothing to close
                    }
                }
            }
            pool.shutdownNow();
        }
    }

    /**
     * A client that stops reading its event stream loses its place as soon as its queue overflows, while its writer is
     * still blocked in the socket write (there is no write timeout): 32 such clients held every place and locked the
     * analysts out (found by a helper session). Its queue is bounded in characters too, not only in messages.
     */
    @Test
    void aClientThatStopsReadingGivesItsPlaceBackWhenItFallsBehind() throws Exception {
        start(null);
        try (java.net.Socket stuck = new java.net.Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            stuck.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            stuck.getOutputStream().flush(); // and never read
            long deadline = System.currentTimeMillis() + 30_000;
            while (server.freeStreamPlaces() == ConsoleServer.MAX_STREAMS && System.currentTimeMillis() < deadline) {
                Thread.sleep(20); // until its stream is answered
            }
            assertThat(server.freeStreamPlaces()).isEqualTo(ConsoleServer.MAX_STREAMS - 1);
            var big = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("filler", "x".repeat(8_000));
            for (int i = 0; i < 1_500 && server.freeStreamPlaces() < ConsoleServer.MAX_STREAMS; i++) {
                server.broadcast("alert", big); // 12 MB: the socket buffers' few MB, then over the 8 million characters
            }
            assertThat(server.freeStreamPlaces()).as("the place is back while the client still holds its socket")
                    .isEqualTo(ConsoleServer.MAX_STREAMS);
            assertThat(stuck.isClosed()).isFalse();
        }
    }

    /**
     * Settings the console started with and then failed on, each a usage error now (found by a helper session): an
     * empty or invalid topic (the reader thread died while the page said "live"), an empty group or host, a token no
     * browser can send (not ASCII: the header is read as ISO-8859-1), and more alerts than a page can take.
     */
    @Test
    void settingsTheConsoleCouldNotWorkWithAreRefused() {
        java.util.function.Function<String[], ConsoleConfig> config = a -> new ConsoleConfig(new Properties(), a[0], a[1],
                a[2], a[3], 0, a[4], null, Integer.parseInt(a[5]));
        for (String[] bad : new String[][] {
                {"", "labels", "g", "127.0.0.1", null, "10", "--flagged-topic: invalid topic name ''"},
                {"bad name!", "labels", "g", "127.0.0.1", null, "10", "--flagged-topic: invalid topic name 'bad name!'"},
                {"flagged", "bad name!", "g", "127.0.0.1", null, "10", "--labels-topic: invalid topic name"},
                {"flagged", "labels", " ", "127.0.0.1", null, "10", "--group-id must not be empty"},
                {"flagged", "labels", "g", "", null, "10", "--console-host must be an address or a host name"},
                {"flagged", "labels", "g", "127.0.0.1", "€".repeat(16), "10", "printable Latin-1 characters"},
                {"flagged", "labels", "g", "127.0.0.1", "tab\tseparated-token", "10", "printable Latin-1"},
                {"flagged", "labels", "g", "127.0.0.1", null, "10001", "max alerts must be in [1, 10000]"}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.apply(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad[6]);
        }
        for (String url : new String[] {"http:///", "http:host:9464/metrics", "https:///metrics"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConsoleConfig(new Properties(), "flagged",
                    "labels", "g", "127.0.0.1", 0, null, URI.create(url), 10)).as(url)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must name a host");
        }
    }

    /** A console bound to another loopback address (127.0.0.2) answers at the address it printed (it said 421). */
    @Test
    void aConsoleOnAnotherLoopbackAddressAnswersToIt() throws Exception {
        ConsoleConfig config = new ConsoleConfig(new Properties(), "flagged", "labels", "g", "127.0.0.2", 0, null, null,
                10);
        try (ConsoleServer other = new ConsoleServer(config, buffer, new LabelWriter(producer, "labels", 100,
                System::currentTimeMillis), null, System::currentTimeMillis)) {
            assertThat(other.hostAllowed("127.0.0.2:" + other.port())).isTrue();
            assertThat(other.hostAllowed("127.0.0.1:" + other.port())).isTrue();
            assertThat(other.hostAllowed("evil.example:" + other.port())).isFalse();
        }
    }

    private int rawStatus(String hostLine) throws Exception {
        try (RawHttp.Answer a = RawHttp.send(server.port(), "GET /api/state", hostLine, "Connection: close")) {
            return a.status();
        }
    }

    /** The page is told when the verdicts already on the labels topic were not all read at start, and why. */
    @Test
    void shouldTellThePageWhenTheVerdictHistoryWasNotAllRead() throws Exception {
        ConsoleConfig config = new ConsoleConfig(new Properties(), "flagged", "labels", "g", "127.0.0.1", 0, null, null,
                10);
        LabelWriter labels = new LabelWriter(producer, "labels", 100, System::currentTimeMillis);
        server = new ConsoleServer(config, buffer, labels, null, System::currentTimeMillis);
        assertThat(server.statsJson().get("verdictHistory").get("complete").asBoolean()).isTrue();
        labels.historyRead(new LabelWriter.History(java.util.List.of(), "could not read topic labels to its end"));
        var history = server.statsJson().get("verdictHistory");
        assertThat(history.get("complete").asBoolean()).isFalse();
        assertThat(history.get("reason").asText()).isEqualTo("could not read topic labels to its end");
    }

    /**
     * The page's stream is to the console, which stays up when the cluster goes: the page is told that Kafka does not
     * answer (it read "live" while no alert could come and each click waited 15 s for a 503).
     */
    @Test
    void shouldTellThePageWhenKafkaDoesNotAnswer() throws Exception {
        ConsoleConfig config = new ConsoleConfig(new Properties(), "flagged", "labels", "g", "127.0.0.1", 0, null, null,
                10);
        server = new ConsoleServer(config, buffer, new LabelWriter(producer, "labels", 100, System::currentTimeMillis),
                null, System::currentTimeMillis);
        Properties nobody = new Properties();
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            nobody.put("bootstrap.servers", "127.0.0.1:" + closed.getLocalPort()); // a port nobody will answer on
        }
        try (org.fraudscorer.scorer.app.BrokerWatch watch = new org.fraudscorer.scorer.app.BrokerWatch(nobody,
                java.time.Duration.ofMillis(200), java.time.Duration.ofMillis(500), "test-watch", "nothing waits")) {
            server.watch(watch);
            long deadline = System.currentTimeMillis() + 30_000;
            while (server.statsJson().get("kafka").get("reachable").asBoolean()
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            var kafka = server.statsJson().get("kafka");
            assertThat(kafka.get("reachable").asBoolean()).as(kafka.toString()).isFalse();
            assertThat(kafka.get("unreachableSinceMs").asLong()).isPositive().isLessThanOrEqualTo(
                    System.currentTimeMillis());
            assertThat(kafka.get("reason").asText()).isNotBlank();
        }
    }

    @Test
    void thePrintedAddressIsOneAnAnalystCanOpen() {
        assertThat(AnalystConsole.url("127.0.0.1", java.util.Set.of(), 8088)).isEqualTo("http://127.0.0.1:8088/");
        assertThat(AnalystConsole.url("::1", java.util.Set.of(), 8088)).isEqualTo("http://[::1]:8088/");
        assertThat(AnalystConsole.url("0.0.0.0", java.util.Set.of("console.bank.example"), 8088))
                .isEqualTo("http://console.bank.example:8088/");
        assertThat(AnalystConsole.url("0.0.0.0", java.util.Set.of(), 8088)).as("an address it answers")
                .matches("http://\\d+\\.\\d+\\.\\d+\\.\\d+:8088/");
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        java.net.InetAddress loopback = java.net.InetAddress.getByName("127.0.0.1");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, loopback)) {
            ConsoleConfig config = new ConsoleConfig(new Properties(), "flagged", "labels", "g", "127.0.0.1",
                    taken.getLocalPort(), null, null, 10);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConsoleServer(config, new AlertBuffer(10),
                    new LabelWriter(producer, "labels", 100, System::currentTimeMillis), null,
                    System::currentTimeMillis)).isInstanceOf(java.net.BindException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (")
                    .hasMessageEndingWith("): choose another --console-port, or 0 for any free one");
        }
    }
}
