package org.fraudscorer.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ScorerMetricsReaderTest {
    private static String scrape(double flagged, double clean, double dead, double le10ms, double le100ms, double le1s,
                                 double inf) {
        return """
                # HELP fraud_events_total events scored as fraud
                # TYPE fraud_events_total counter
                fraud_events_total{outcome="clean"} %s
                fraud_events_total{outcome="dead_letter"} %s
                fraud_events_total{outcome="flagged"} %s
                fraud_events_total{outcome="backfilled"} 12345.0
                fraud_flag_rate 0.0125
                fraud_model_info{sha256="abc",version="v\\"1"} 0.0
                fraud_model_info{sha256="def",version="v2"} 1.0
                fraud_end_to_end_latency_seconds_bucket{le="0.01"} %s
                fraud_end_to_end_latency_seconds_bucket{le="0.1"} %s
                fraud_end_to_end_latency_seconds_bucket{le="1.0"} %s
                fraud_end_to_end_latency_seconds_bucket{le="+Inf"} %s
                """.formatted(clean, dead, flagged, le10ms, le100ms, le1s, inf);
    }

    @Test
    void shouldReadTheServingVersionFlagRateAndCumulativeP99FromOneScrape() {
        var s = ScorerMetricsReader.parse(scrape(5, 95, 7, 50, 99, 100, 100), 0);
        var f = ScorerMetricsReader.figures(null, s);
        assertThat(s.events()).isEqualTo(100); // dead letters and backfilled history are not scored events
        assertThat(f.modelVersion()).isEqualTo("v2");
        assertThat(f.flagRate()).isEqualTo(0.0125);
        assertThat(f.latencyP99Ms()).isEqualTo(100.0); // 99 of 100 events within 0.1 s
        assertThat(f.eventsPerSecond()).isNaN(); // a rate needs two scrapes
    }

    @Test
    void shouldComputeThroughputAndP99OverTheEventsBetweenTwoScrapes() {
        var before = ScorerMetricsReader.parse(scrape(5, 95, 0, 100, 100, 100, 100), 0);
        // 200 more events in 2 s, all of them slower than 0.1 s
        var now = ScorerMetricsReader.parse(scrape(15, 285, 0, 100, 100, 300, 300), 2_000_000_000L);
        var f = ScorerMetricsReader.figures(before, now);
        assertThat(f.eventsPerSecond()).isEqualTo(100.0);
        assertThat(f.latencyP99Ms()).isEqualTo(1000.0);
    }

    @Test
    void shouldShowNoLatencyWhenNoEventWasScoredBetweenTwoScrapes() {
        var before = ScorerMetricsReader.parse(scrape(15, 285, 0, 100, 100, 300, 300), 0);
        var idle = ScorerMetricsReader.parse(scrape(15, 285, 0, 100, 100, 300, 300), 1_000_000_000L);
        var f = ScorerMetricsReader.figures(before, idle);
        assertThat(f.eventsPerSecond()).isZero();
        assertThat(f.latencyP99Ms()).as("not the since-start figure, backlog included").isNaN();
    }

    /**
     * A scorer that has scored nothing since it started (just restarted, or only dead letters) has no flag rate: its
     * gauge reads 0, and the page showed "0.00 %", as if it flagged nothing of what it scored.
     */
    @Test
    void shouldShowNoFlagRateBeforeTheScorerHasScoredAnEvent() {
        String fresh = scrape(0, 0, 3, 0, 0, 0, 0).replace("fraud_flag_rate 0.0125", "fraud_flag_rate 0.0");
        assertThat(fresh).contains("fraud_flag_rate 0.0\n");
        var f = ScorerMetricsReader.figures(null, ScorerMetricsReader.parse(fresh, 0));
        assertThat(f.flagRate()).isNaN();
        var later = ScorerMetricsReader.figures(ScorerMetricsReader.parse(fresh, 0),
                ScorerMetricsReader.parse(scrape(1, 79, 3, 80, 80, 80, 80), 1_000_000_000L));
        assertThat(later.flagRate()).isEqualTo(0.0125);
    }

    @Test
    void shouldReportAnUnreachableScorerWithoutThrowing() {
        var f = new ScorerMetricsReader(URI.create("http://127.0.0.1:1/metrics")).read();
        assertThat(f.ok()).isFalse();
        assertThat(f.error()).isEqualTo("no scorer answers at http://127.0.0.1:1/metrics (connection refused: not "
                + "running, or another --metrics-port)");
    }

    /**
     * A /metrics that sends its headers and then stalls, or sends far more than a scorer's metrics, ends the scrape
     * with an error the page shows (the request timeout covered the headers only: the console's one ticker thread
     * hung in the body read and the page kept the scorer's last figures as current, found by a helper session).
     */
    @Test
    void aStalledOrOversizedBodyEndsTheScrapeWithAnError() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        java.net.Socket c = socket.accept();
                        held.add(c);
                        c.getInputStream().read(new byte[8192]);
                        var out = c.getOutputStream();
                        boolean big = held.size() == 2;
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + (big ? 6_000_000 : 10_000)
                                + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        out.write(new byte[big ? 6_000_000 : 20]); // the first stalls after 20 bytes
                        out.flush();
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            server.setDaemon(true);
            server.start();
            ScorerMetricsReader reader = new ScorerMetricsReader(URI.create("http://127.0.0.1:" + socket.getLocalPort()
                    + "/metrics"));
            long t0 = System.nanoTime();
            var stalled = reader.read();
            assertThat(stalled.ok()).isFalse();
            assertThat(stalled.error()).contains("no answer from", "within 4 s");
            assertThat((System.nanoTime() - t0) / 1e9).as("the scrape gave up").isLessThan(30);
            var big = reader.read();
            assertThat(big.ok()).isFalse();
            assertThat(big.error()).contains("a body over 4194304 bytes");
        }
    }

    /** Figures no scrape has renewed for a while are not shown as current. */
    @Test
    void figuresOfAnOldScrapeAreStale() {
        ScorerMetricsReader reader = new ScorerMetricsReader(URI.create("http://127.0.0.1:1/metrics"));
        assertThat(reader.latest().error()).isEqualTo("not read yet");
        var old = new ScorerMetricsReader.Figures(true, null, 5, 0.01, 3, "v1",
                System.currentTimeMillis() - ScorerMetricsReader.STALE_MS - 1000);
        assertThat(ScorerMetricsReader.current(old, reader.url(), System.currentTimeMillis()).ok()).isFalse();
    }
}
