package org.fraudscorer.app.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's memory, bounded everywhere: the newest {@code capacity} alerts by scoring time (then by arrival), the
 * verdicts of the alerts it holds, the reviews behind the live precision and PR curve (the latest
 * {@code 4 × capacity} reviewed alerts), arrivals per second over the last minute, and a counter of flagged records
 * that could not be read (skipped, never fatal). Thread-safe: the Kafka reader adds, the HTTP threads read.
 *
 * <p>Why by scoring time and not arrival: the reader takes the flagged topic partition by partition, so a restarted
 * console, or one that starts behind a backlog, gets alerts out of time order; "the latest" must be the latest scored,
 * or the freshest alerts of one partition are dropped for older ones of another.
 */
public final class AlertBuffer {
    private final int capacity;
    private final ObjectMapper json = new ObjectMapper();
    /** Oldest first: by scoring time, then arrival number. */
    private final java.util.TreeSet<Alert> alerts = new java.util.TreeSet<>(NEWEST_LAST);
    static final java.util.Comparator<Alert> NEWEST_LAST = java.util.Comparator.comparingLong(Alert::scoredAtMs)
            .thenComparingLong(Alert::seq);
    /** The newest alert held for each id (a replayed id replaces the older one's place in this index only). */
    private final Map<String, Alert> byId = new HashMap<>();
    /** Verdicts by alert id, oldest first; bounded with the reviews. */
    private final LinkedHashMap<String, List<Verdict>> verdicts;
    /** The latest verdict of each reviewed alert with the alert's probability: precision and the PR curve. */
    private final LinkedHashMap<String, Review> reviews;
    private final long[] perSecond = new long[60];
    private final long[] secondOf = new long[60];
    private long seq;
    private long malformed;
    private String lastMalformedReason;

    /** One reviewed alert: its score and the analyst's latest word on it. */
    record Review(double probability, boolean fraud) {
    }

    public AlertBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        int reviewed = Math.max(1_000, 4 * capacity);
        this.verdicts = bounded(reviewed);
        this.reviews = bounded(reviewed);
    }

    private static <V> LinkedHashMap<String, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * The largest flagged record held: a scored event with its features and explanation is a few KB; a forged one of
     * 60 KB, 20,000 times over, made 125 MB snapshots (helper session).
     */
    static final int MAX_RECORD_BYTES = 64 * 1024;
    /** How far ahead of the console's clock an alert's scoring time may be (clock skew between hosts). */
    static final long MAX_AHEAD_MS = 5 * 60_000;

    public int capacity() {
        return capacity;
    }

    /** Adds one flagged record's value; an unreadable one is counted and skipped (returns empty). */
    public synchronized Optional<Alert> add(byte[] value, long nowMs) {
        return add(value, null, nowMs);
    }

    /**
     * {@link #add(byte[], long)}, naming a creditcard alert scored without an id {@code fallbackId} (the record's
     * topic, partition and offset) instead of skipping it. Empty too for an alert scored before every alert held when
     * the buffer is full: it is not among the latest. An alert scored more than a minute before {@code nowMs} (read
     * again after a restart, or from a backlog) does not count as arriving in the last minute.
     */
    public synchronized Optional<Alert> add(byte[] value, String fallbackId, long nowMs) {
        if (value != null && value.length > MAX_RECORD_BYTES) { // held and sent to every page: bounded
            return skipped("a record of " + value.length + " bytes, over the " + MAX_RECORD_BYTES + " of any scored "
                    + "event");
        }
        Alert a;
        try {
            a = Alert.parse(seq + 1, value, json, fallbackId);
        } catch (IllegalArgumentException | ClassCastException e) {
            return skipped(e.getMessage());
        }
        if (a.scoredAtMs() > nowMs + MAX_AHEAD_MS) {
            // kept, it would sort after every real alert for as long as its time is ahead, and push them out of a
            // full buffer: anyone able to write to the flagged topic could hide the scorer's alerts (helper session)
            return skipped("scoredAtMs " + java.time.Instant.ofEpochMilli(a.scoredAtMs()) + " is more than "
                    + MAX_AHEAD_MS / 60_000 + " min after this console's clock (a scorer's clock ahead, or a record "
                    + "not written by a scorer)");
        }
        seq++;
        if (a.scoredAtMs() == 0 || nowMs - a.scoredAtMs() < 60_000) { // 0: a record without its scoring time
            int slot = (int) Math.floorMod(nowMs / 1000, 60L);
            if (secondOf[slot] != nowMs / 1000) {
                secondOf[slot] = nowMs / 1000;
                perSecond[slot] = 0;
            }
            perSecond[slot]++;
        }
        if (alerts.size() == capacity) {
            if (NEWEST_LAST.compare(a, alerts.first()) < 0) {
                return Optional.empty(); // older than every alert held
            }
            Alert gone = alerts.pollFirst();
            byId.remove(gone.id(), gone);
        }
        alerts.add(a);
        Alert sameId = byId.get(a.id());
        if (sameId == null || NEWEST_LAST.compare(sameId, a) < 0) {
            byId.put(a.id(), a);
        }
        // a verdict read back at start, before its alert was read again: its review gets the alert's score now
        List<Verdict> given = verdicts.get(a.id());
        if (given != null && !reviews.containsKey(a.id())) {
            reviews.put(a.id(), new Review(a.probability(), given.get(given.size() - 1).action().fraud()));
        }
        return Optional.of(a);
    }

    /** A flagged record not held: counted, with its reason, for the page's "skipped records". */
    private Optional<Alert> skipped(String reason) {
        malformed++;
        lastMalformedReason = reason;
        return Optional.empty();
    }

    /** The alerts held, oldest first (by scoring time, then arrival). */
    public synchronized List<Alert> snapshot() {
        return new ArrayList<>(alerts);
    }

    /** The newest alert held with this id. */
    public synchronized Optional<Alert> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * The alert held with this arrival number, if it has this id: the alert an analyst clicked on, even when a later
     * alert carries the same id (ids come from the payments' producers, and nothing makes them unique).
     */
    public synchronized Optional<Alert> find(long seq, String id) {
        for (Alert a : alerts) {
            if (a.seq() == seq) {
                return a.id().equals(id) ? Optional.of(a) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Records a verdict (written now, or read back from the labels topic) against its alert. */
    public synchronized void verdict(Verdict v, double probability) {
        List<Verdict> list = verdicts.computeIfAbsent(v.alertId(), k -> new ArrayList<>(2));
        if (!list.contains(v)) { // the same verdict read back twice; a verdict changed back is a new one
            list.add(v);
        }
        if (!Double.isNaN(probability)) {
            reviews.remove(v.alertId()); // re-insert: the latest verdict counts and is the newest entry
            reviews.put(v.alertId(), new Review(probability, v.action().fraud()));
        }
    }

    /** The verdicts on this alert id, oldest first. */
    public synchronized List<Verdict> verdicts(String id) {
        return List.copyOf(verdicts.getOrDefault(id, List.of()));
    }

    /** Counters, rates and the analysts' precision for the page. */
    public synchronized Stats stats(long nowMs) {
        long now = nowMs / 1000;
        long lastMinute = 0;
        for (int i = 0; i < 60; i++) {
            if (now - secondOf[i] < 60) {
                lastMinute += perSecond[i];
            }
        }
        long confirmed = reviews.values().stream().filter(Review::fraud).count();
        return new Stats(seq, alerts.size(), lastMinute, malformed, lastMalformedReason, reviews.size(), confirmed,
                prCurve(new ArrayList<>(reviews.values())));
    }

    /**
     * The precision–recall curve of the reviewed alerts, taking each reviewed probability as a threshold (highest
     * first): recall is among the confirmed frauds the analysts have seen, precision among the reviewed alerts at or
     * above the threshold. One point per distinct probability.
     */
    static List<double[]> prCurve(List<Review> reviewed) {
        Review[] r = reviewed.toArray(new Review[0]);
        Arrays.sort(r, (a, b) -> Double.compare(b.probability(), a.probability()));
        long positives = Arrays.stream(r).filter(Review::fraud).count();
        List<double[]> points = new ArrayList<>();
        if (positives == 0) {
            return points;
        }
        long tp = 0;
        for (int i = 0; i < r.length; i++) {
            tp += r[i].fraud() ? 1 : 0;
            if (i == r.length - 1 || r[i + 1].probability() != r[i].probability()) {
                points.add(new double[] {r[i].probability(), (double) tp / positives, (double) tp / (i + 1)});
            }
        }
        return points;
    }

    /**
     * @param received        flagged records read and shown since start
     * @param held            alerts in the buffer now
     * @param lastMinute      alerts that arrived in the last 60 s
     * @param malformed       flagged records skipped as unreadable
     * @param reviewed        reviewed alerts counted in precision (bounded)
     * @param confirmed       of which confirmed fraud
     * @param prCurve         points {threshold, recall, precision}, threshold descending
     */
    public record Stats(long received, int held, long lastMinute, long malformed, String lastMalformedReason,
                        long reviewed, long confirmed, List<double[]> prCurve) {
        /** Confirmed / reviewed; NaN before the first verdict. */
        public double precision() {
            return reviewed == 0 ? Double.NaN : (double) confirmed / reviewed;
        }
    }
}
