package org.fraudscorer.app.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the scorer's key figures from its Prometheus {@code /metrics}: throughput (events scored per second between
 * two reads), flag rate, end-to-end latency p99 (from the histogram buckets, over the events between two reads: NaN
 * when none was scored between them; since start on the first read) and the serving model version. Call {@link #read()} periodically; it never throws.
 */
public final class ScorerMetricsReader {
    /** The outcomes of {@code fraud_events_total} that are decisions: the events per second the page shows. */
    private static final java.util.Set<String> SCORED =
            java.util.Set.copyOf(org.fraudscorer.scorer.server.ScorerMetrics.Outcome.scoredTags());
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Scrape previous;
    private volatile Figures latest = Figures.unknown("not read yet");

    /** What the page shows; NaN for a figure not known. */
    public record Figures(boolean ok, String error, double eventsPerSecond, double flagRate, double latencyP99Ms,
                          String modelVersion, long readAtMs) {
        static Figures unknown(String error) {
            return new Figures(false, error, Double.NaN, Double.NaN, Double.NaN, null, System.currentTimeMillis());
        }
    }

    /** One parsed scrape: the counters and buckets needed, with the time it was read. */
    record Scrape(long atNanos, double events, double flagRate, String modelVersion, TreeMap<Double, Double> latencyBuckets) {
    }

    public ScorerMetricsReader(URI url) {
        this.url = url;
    }

    public URI url() {
        return url;
    }

    /**
     * The figures of the last scrape; unknown when none has finished for {@link #STALE_MS} (a scrape that hangs
     * must not leave a scorer's last figures on the page as current).
     */
    public Figures latest() {
        return current(latest, url, System.currentTimeMillis());
    }

    static Figures current(Figures f, URI url, long nowMs) {
        long age = nowMs - f.readAtMs();
        return age > STALE_MS ? Figures.unknown("no answer from " + url + " for " + age / 1000 + " s") : f;
    }

    /** How long the figures of a scrape stay current without a newer one. */
    static final long STALE_MS = 10_000;
    /** The whole scrape, headers and body: a scorer's /metrics answers in milliseconds. */
    static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(4);
    /** Far above a scorer's /metrics (tens of KB): a larger body is not read. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    /** Scrapes once and updates {@link #latest()}: at most {@link #SCRAPE_TIMEOUT}, at most {@link #MAX_BODY_BYTES}. */
    public Figures read() {
        java.util.concurrent.CompletableFuture<HttpResponse<String>> pending = null;
        try {
            pending = http.sendAsync(HttpRequest.newBuilder(url).timeout(SCRAPE_TIMEOUT).GET().build(),
                    info -> bounded(MAX_BODY_BYTES));
            HttpResponse<String> r = pending.get(SCRAPE_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (r.statusCode() != 200) {
                return latest = Figures.unknown("HTTP " + r.statusCode() + " from " + url);
            }
            Scrape now = parse(r.body(), System.nanoTime());
            latest = figures(previous, now);
            previous = now;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            latest = Figures.unknown("interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            latest = Figures.unknown("no answer from " + url + " within " + SCRAPE_TIMEOUT.toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            // a stopped scorer read as "cannot read …/metrics: ConnectException" on the page (a hunt)
            latest = Figures.unknown(cause instanceof java.net.ConnectException
                    ? "no scorer answers at " + url + " (connection refused: not running, or another --metrics-port)"
                    : "cannot read " + url + ": " + (cause instanceof TooLarge ? cause.getMessage()
                    : cause.getClass().getSimpleName()));
        } catch (Exception e) {
            latest = Figures.unknown("cannot read " + url + ": " + e.getClass().getSimpleName());
        } finally {
            if (pending != null) {
                pending.cancel(true); // done: no effect; timed out: the exchange is abandoned, not left reading
            }
        }
        return latest;
    }

    private static final class TooLarge extends java.io.IOException {
        TooLarge(int max) {
            super("a body over " + max + " bytes, not a scorer's /metrics");
        }
    }

    /** The body as UTF-8 text, refused (and no longer read) past {@code max} bytes. */
    static HttpResponse.BodySubscriber<String> bounded(int max) {
        return new HttpResponse.BodySubscriber<>() {
            private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            private final java.util.concurrent.CompletableFuture<String> body =
                    new java.util.concurrent.CompletableFuture<>();
            private java.util.concurrent.Flow.Subscription subscription;

            @Override
            public java.util.concurrent.CompletionStage<String> getBody() {
                return body;
            }

            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(java.util.List<java.nio.ByteBuffer> items) {
                for (java.nio.ByteBuffer b : items) {
                    if (bytes.size() + b.remaining() > max) {
                        subscription.cancel();
                        body.completeExceptionally(new TooLarge(max));
                        return;
                    }
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    bytes.write(chunk, 0, chunk.length);
                }
            }

            @Override
            public void onError(Throwable t) {
                body.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                body.complete(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
        };
    }

    static Scrape parse(String text, long atNanos) {
        double events = 0;
        double flagRate = Double.NaN;
        String version = null;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String series = line.substring(0, space);
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (series.startsWith("fraud_events_total{") && SCORED.contains(String.valueOf(label(series, "outcome")))) {
                events += value; // scored events: not dead letters, nor backfilled history (stored, never scored)
            } else if (series.equals("fraud_flag_rate")) {
                flagRate = value;
            } else if (series.startsWith("fraud_model_info{") && value == 1.0) {
                version = label(series, "version");
            } else if (series.startsWith("fraud_end_to_end_latency_seconds_bucket{")) {
                String le = label(series, "le");
                if (le != null) {
                    buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value);
                }
            }
        }
        return new Scrape(atNanos, events, flagRate, version, buckets);
    }

    static Figures figures(Scrape before, Scrape now) {
        double rate = Double.NaN;
        TreeMap<Double, Double> window = now.latencyBuckets();
        if (before != null && now.atNanos() > before.atNanos()) {
            rate = Math.max(0, now.events() - before.events()) / ((now.atNanos() - before.atNanos()) / 1e9);
            TreeMap<Double, Double> delta = new TreeMap<>();
            for (Map.Entry<Double, Double> e : now.latencyBuckets().entrySet()) {
                delta.put(e.getKey(), e.getValue() - before.latencyBuckets().getOrDefault(e.getKey(), 0.0));
            }
            // none scored between the two reads: no current figure (the since-start one, backlog included, is stale)
            window = delta;
        }
        // no event scored since the scorer started: its gauge reads 0, which the page showed as "0.00 %" (a hunt)
        double flagRate = now.events() > 0 ? now.flagRate() : Double.NaN;
        return new Figures(true, null, rate, flagRate, p99Ms(window), now.modelVersion(), System.currentTimeMillis());
    }

    /** The upper bound of the first cumulative bucket holding 99% of the events, in ms; NaN without events. */
    static double p99Ms(TreeMap<Double, Double> cumulative) {
        if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double target = 0.99 * cumulative.lastEntry().getValue();
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= target) {
                return e.getKey() * 1000;
            }
        }
        return Double.NaN;
    }

    private static String label(String series, String name) {
        String key = name + "=\"";
        int i = series.indexOf(key);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        StringBuilder sb = new StringBuilder();
        for (int k = start; k < series.length(); k++) {
            char c = series.charAt(k);
            if (c == '\\' && k + 1 < series.length()) {
                sb.append(series.charAt(++k));
            } else if (c == '"') {
                return sb.toString();
            } else {
                sb.append(c);
            }
        }
        return null;
    }
}
