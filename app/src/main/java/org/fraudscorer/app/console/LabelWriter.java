package org.fraudscorer.app.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fraudscorer.scorer.config.ClientSettings;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Writes an analyst's verdict to the labels topic, once per change of mind: a click that repeats an alert's latest
 * verdict (another tab, another analyst, a retried request) returns that verdict and writes nothing; the other button
 * writes a correcting label, and so does going back to the first verdict after it (the topic's last label for the
 * payment is the one that counts). The producer is idempotent (acks=all), so the broker keeps
 * no duplicate of a retried send; the send is awaited, so a verdict is shown only once it is on the topic. A send
 * that fails is not remembered and may be retried. The key and value are the family's ({@link LabelFormat}); who
 * and when ride in headers, which the scorer's label parser does not read.
 */
public final class LabelWriter implements AutoCloseable {
    public static final String ALERT_ID_HEADER = "fraud-console-alert-id";
    public static final String ACTION_HEADER = "fraud-console-action";
    public static final String REVIEWER_HEADER = "fraud-console-reviewer";
    public static final String AT_HEADER = "fraud-console-at-ms";
    /** The alert's probability when it was judged: a restarted console counts the review in its precision again. */
    public static final String PROBABILITY_HEADER = "fraud-console-probability";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final LongSupplier clock;
    /** The latest verdict written on each alert, by alert id; the oldest alerts are forgotten beyond the bound. */
    private final Map<String, Verdict> written;
    private volatile String historyIncomplete;
    /** Locks by alert id (striped): one click at a time per alert, clicks on different alerts side by side. */
    private final Object[] stripes = new Object[64];

    /** The outcome of a click: the verdict on the topic, and whether this call wrote it. */
    public record Result(Verdict verdict, boolean written) {
    }

    /**
     * @param remembered how many alerts' latest verdicts to remember for deduplication
     */
    public LabelWriter(Producer<String, byte[]> producer, String topic, int remembered, LongSupplier clock) {
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
        this.written = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
                return size() > remembered;
            }
        };
    }

    /**
     * Producer settings for labels: the connection's, idempotent with acks=all, and timeouts short enough for an
     * analyst's click to get its answer (each overridable).
     */
    public static Properties producerProperties(Properties kafka) {
        Properties p = ClientSettings.of(kafka, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"), ClientSettings.ACKS_ALL, ClientSettings.IDEMPOTENT);
        if (!kafka.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            // Kafka refuses a delivery timeout below linger + request timeout: a user's larger request timeout
            // (Kafka's own 30 s, written out in a shared properties file) must raise this default, not fail the console
            long linger = Long.parseLong(p.getProperty(ProducerConfig.LINGER_MS_CONFIG, "5").trim());
            long request = Long.parseLong(p.getProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG).trim());
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(25_000, linger + request)));
        }
        return p;
    }

    /**
     * Writes the label of {@code action} on {@code alert} unless it is the alert's latest verdict already. Clicks on
     * one alert are taken one at a time, so two concurrent clicks cannot both write; clicks on other alerts go on
     * meanwhile (a send can wait up to the delivery timeout while the cluster is unavailable, and one analyst's
     * waiting click must not hold every other analyst's).
     */
    public Result write(Alert alert, Verdict.Action action, String reviewer) throws LabelException {
        synchronized (stripes[Math.floorMod(alert.id().hashCode(), stripes.length)]) {
            return writeOne(alert, action, reviewer);
        }
    }

    private Result writeOne(Alert alert, Verdict.Action action, String reviewer) throws LabelException {
        String key = alert.id();
        Verdict latest;
        synchronized (written) {
            latest = written.get(key);
        }
        if (latest != null && latest.action() == action) {
            return new Result(latest, false);
        }
        Verdict v = new Verdict(alert.id(), action, Verdict.reviewerName(reviewer), clock.getAsLong());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, alert.family().key(alert),
                alert.family().value(alert, action.fraud()));
        Headers h = record.headers();
        h.add(ALERT_ID_HEADER, utf8(v.alertId()));
        h.add(ACTION_HEADER, utf8(action.wire()));
        h.add(REVIEWER_HEADER, utf8(v.reviewer()));
        h.add(AT_HEADER, utf8(Long.toString(v.atMs())));
        h.add(PROBABILITY_HEADER, utf8(Double.toString(alert.probability())));
        try {
            producer.send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabelException("interrupted while writing the label", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new LabelException("the label was not written to " + topic + ": " + plain(cause), cause);
        }
        synchronized (written) {
            written.remove(key); // re-inserted: the most recently changed alerts are the last forgotten
            written.put(key, v);
        }
        return new Result(v, true);
    }

    /**
     * Why a send failed, in the analyst's words first: a click while the broker was away read "Topic
     * transactions.labels not present in metadata after 15000 ms", as if the topic were missing (a hunt).
     */
    static String plain(Throwable cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException
                ? "Kafka did not answer in time, so the verdict is not saved: give it again once Kafka is back ("
                + detail + ")" : detail;
    }

    /**
     * Remembers a verdict written earlier (by this console before a restart, or another console), in the labels
     * topic's order: the last one remembered for an alert is its latest.
     */
    public void remember(Verdict v) {
        synchronized (written) {
            written.remove(v.alertId());
            written.put(v.alertId(), v);
        }
    }

    /**
     * The console verdicts already on the labels topic (records carrying this writer's headers), read from the start
     * up to its current end, for at most {@code limit}: a restarted console neither writes them again nor forgets
     * who reviewed what. Labels without the headers (replays, other producers) are skipped.
     */
    public static History history(Properties kafka, String topic, Duration limit) {
        List<Verdict> out = new ArrayList<>();
        Map<String, Double> probabilities = new java.util.HashMap<>();
        String incomplete = null;
        try {
            org.fraudscorer.app.TopicHistory.readToEnd(kafka, topic, limit, r -> {
                Verdict v = fromHeaders(r.headers());
                if (v != null) {
                    out.add(v);
                    double value = probability(r.headers()); // NaN: the review counts once its alert is read again
                    if (!Double.isNaN(value)) {
                        probabilities.put(v.alertId(), value); // the latest verdict's alert
                    }
                }
            });
        } catch (org.fraudscorer.scorer.broker.TopicReader.NoSuchTopic e) {
            // a first start: no label was ever written, so nothing is missing
        } catch (RuntimeException e) {
            // the cluster did not answer in time, or the topic is too long to read in the limit: the console starts
            // with what it read, and says so (reviewed alerts may show as unreviewed, a click may write again)
            incomplete = org.fraudscorer.scorer.cli.CliErrors.describe(e);
        }
        return new History(List.copyOf(out), incomplete, Map.copyOf(probabilities));
    }

    /**
     * The console verdicts read from the labels topic at start, and why they may not be all of them.
     *
     * @param incomplete    null when the topic was read to its end (or does not exist yet), else the reason
     * @param probabilities the probability of each judged alert, when its label carries it (labels written by
     *                      earlier versions do not: their reviews count once their alerts are read again)
     */
    public record History(List<Verdict> verdicts, String incomplete, Map<String, Double> probabilities) {
        public History(List<Verdict> verdicts, String incomplete) {
            this(verdicts, incomplete, Map.of());
        }

        /** The probability of the alert {@code v} judged, or NaN when its label does not say. */
        public double probability(Verdict v) {
            return probabilities.getOrDefault(v.alertId(), Double.NaN);
        }
    }

    /** Records how the verdict history was read at start, for the page ({@link #historyIncomplete}). */
    public void historyRead(History history) {
        historyIncomplete = history.incomplete();
    }

    /** Why the verdicts on the labels topic were not all read at start, or null when they were. */
    public String historyIncomplete() {
        return historyIncomplete;
    }

    /** The judged alert's probability a console label carries, or NaN (labels of earlier versions, or not one). */
    static double probability(Headers h) {
        String p = header(h, PROBABILITY_HEADER);
        try {
            double value = p == null ? Double.NaN : Double.parseDouble(p);
            return value >= 0 && value <= 1 ? value : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The verdict a console label's headers carry, or null for a label of another producer. */
    static Verdict fromHeaders(Headers h) {
        String id = header(h, ALERT_ID_HEADER);
        String action = header(h, ACTION_HEADER);
        String reviewer = header(h, REVIEWER_HEADER);
        String at = header(h, AT_HEADER);
        if (id == null || action == null || reviewer == null || at == null) {
            return null;
        }
        try {
            return new Verdict(id, Verdict.Action.parse(action), reviewer, Long.parseLong(at));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String header(Headers h, String name) {
        Header last = h.lastHeader(name);
        return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** A label that could not be written. */
    public static final class LabelException extends Exception {
        LabelException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
