package org.fraudscorer.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fraudscorer.common.features.events.TxDateTime;

/**
 * One flagged record of the scorer, as the console shows it: read from the JSON that {@code ScoredRecordWriter}
 * writes to {@code transactions.flagged} ({@code {"event":{…},"id":…,"probability":…,"threshold":…,
 * "decision":"FLAGGED","modelVersion":…,"scoredAtMs":…,"topFeatures":[{"feature":…,"contribution":…},…]}}).
 *
 * @param seq         the console's own arrival number (1, 2, …): the page's cursor, unique even if ids repeat
 * @param id          the event's id (the alert's identity for verdicts)
 * @param family      which label format a verdict on it takes
 * @param event       the input event exactly as scored (kept for the creditcard label, which re-sends it)
 * @param card        the card (raw events' {@code CUSTOMER_ID}), or null
 * @param terminal    the terminal, or null
 * @param eventTime   the payment's own time as written by the producer (raw events' {@code TX_DATETIME}), or null
 * @param amount      the amount ({@code TX_AMOUNT} or {@code Amount}), NaN if absent
 */
public record Alert(long seq, String id, LabelFormat family, ObjectNode event, String card, String terminal,
                    String eventTime, double amount, double probability, double threshold, String modelVersion,
                    long scoredAtMs, List<Contribution> topFeatures) {

    /** One feature's part in the decision. */
    public record Contribution(String feature, double contribution) {
    }

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(family, "family");
        topFeatures = List.copyOf(topFeatures);
    }

    /**
     * Reads one flagged record's value; {@link IllegalArgumentException} (with the reason) for anything that is not
     * a flagged record with an id, a probability in [0, 1] and an event object.
     */
    static Alert parse(long seq, byte[] value, ObjectMapper json) {
        return parse(seq, value, json, null);
    }

    /**
     * {@link #parse(long, byte[], ObjectMapper)}, with {@code fallbackId} (the record's place in its topic) for a
     * creditcard event scored without an id: the scorer accepts those (the id is optional in that format), and an
     * analyst must still see and judge them; their label row then carries this id. A raw event always has its
     * transaction id.
     */
    static Alert parse(long seq, byte[] value, ObjectMapper json, String fallbackId) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        JsonNode n;
        try {
            n = json.readTree(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not readable: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode event = n.get("event");
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("no event object");
        }
        JsonNode id = n.get("id");
        if ((id == null || id.isNull()) && fallbackId != null && LabelFormat.of((ObjectNode) event) == LabelFormat.CREDITCARD) {
            id = json.getNodeFactory().textNode(fallbackId);
        }
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()) {
            throw new IllegalArgumentException("no id");
        }
        String idProblem = shownIdProblem(id.asText());
        if (idProblem != null) {
            throw new IllegalArgumentException("id " + idProblem);
        }
        double p = number(n, "probability");
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability missing or outside [0, 1]");
        }
        JsonNode version = n.get("modelVersion");
        if (version == null || !version.isTextual()) {
            throw new IllegalArgumentException("no modelVersion");
        }
        List<Contribution> top = new ArrayList<>();
        JsonNode tf = n.get("topFeatures");
        if (tf != null && tf.isArray()) {
            for (JsonNode f : tf) {
                if (f.path("feature").isTextual() && f.path("contribution").isNumber()) {
                    top.add(new Contribution(f.get("feature").asText(), f.get("contribution").asDouble()));
                }
            }
        }
        ObjectNode e = (ObjectNode) event;
        LabelFormat family = LabelFormat.of(e);
        if (family == LabelFormat.RAW_EVENT) {
            // the label carries these as 64-bit integers: one beyond them (the scorer takes 0..2^63-1 only) would be
            // written as another payment's (18446744073709551621 became transaction 5) and mislabel it
            for (String field : List.of("TRANSACTION_ID", "TERMINAL_ID")) {
                if (!e.get(field).canConvertToLong() || e.get(field).asLong() < 0) {
                    throw new IllegalArgumentException(field + " " + e.get(field) + " is outside 0.." + Long.MAX_VALUE);
                }
            }
            epochSeconds(e.get("TX_DATETIME"));
        }
        double amount = e.has("TX_AMOUNT") ? number(e, "TX_AMOUNT") : number(e, "Amount");
        return new Alert(seq, id.asText(), family, e, text(e.get("CUSTOMER_ID")), text(e.get("TERMINAL_ID")),
                text(e.get("TX_DATETIME")), amount, p, number(n, "threshold"), version.asText(),
                n.path("scoredAtMs").asLong(0), top);
    }

    /**
     * Seconds since 1970 on the payment's wall clock: {@code TX_DATETIME} as a string (read as the scorer reads it)
     * or an integer.
     *
     * @throws IllegalArgumentException if it is neither
     */
    static long epochSeconds(JsonNode dateTime) {
        if (dateTime != null && dateTime.isIntegralNumber()) {
            if (!dateTime.canConvertToLong()) {
                throw new IllegalArgumentException("unreadable TX_DATETIME");
            }
            return dateTime.asLong();
        }
        String s = dateTime == null ? "" : dateTime.asText();
        TxDateTime reader = new TxDateTime();
        long seconds = reader.parse(s, 0, s.length());
        if (seconds == TxDateTime.INVALID) {
            throw new IllegalArgumentException("unreadable TX_DATETIME");
        }
        return seconds;
    }

    /**
     * Why an id cannot be shown on the page and sent back by it, or null: an unpaired surrogate (UTF-8 has none: the
     * page got a '?' instead, and a click on the alert found no alert with the id it sent back) or an invisible format
     * character (a bidirectional override makes it read as another id). No scorer writes either (it refuses such an
     * event's id, {@link org.fraudscorer.common.text.EventIds}); an id longer than a scorer's is still shown, as
     * older scorers wrote them.
     */
    static String shownIdProblem(String id) {
        for (int i = 0; i < id.length(); ) {
            int c = id.codePointAt(i); // an unpaired surrogate is its own code point
            if (Character.getType(c) == Character.SURROGATE) {
                return "contains the unpaired surrogate U+" + String.format(java.util.Locale.ROOT, "%04X", c);
            }
            if (Character.getType(c) == Character.FORMAT) {
                return "contains the invisible format character U+" + String.format(java.util.Locale.ROOT, "%04X", c)
                        + " (it can make an id look like another)";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }
}
