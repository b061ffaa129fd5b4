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
    private static final java.util.Set<String> SCORED = java.util.Set.of("flagged", "clean");
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

    public Figures latest() {
        return latest;
    }

    /** Scrapes once and updates {@link #latest()}. */
    public Figures read() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return latest = Figures.unknown("HTTP " + r.statusCode() + " from " + url);
            }
            Scrape now = parse(r.body(), System.nanoTime());
            latest = figures(previous, now);
            previous = now;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            latest = Figures.unknown("interrupted");
        } catch (Exception e) {
            latest = Figures.unknown("cannot read " + url + ": " + e.getClass().getSimpleName());
        }
        return latest;
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
        return new Figures(true, null, rate, now.flagRate(), p99Ms(window), now.modelVersion(),
                System.currentTimeMillis());
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
