package org.fraudscorer.scorer.topology;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.fraudscorer.scorer.config.ScorerConfig;

/**
 * A record's key and headers, which its outputs and dead letters carry on: bounded at intake
 * ({@link ScorerConfig#maxEnvelopeBytes()}), so that no output the scorer writes is larger than its producer sends
 * because of what came with the event. Without the bound a key or headers of hundreds of kilobytes made an output or
 * a dead letter that Kafka refused, which under exactly-once failed the stream thread on the same record after every
 * restart.
 */
final class Envelope {
    private Envelope() {
    }

    /** The key's bytes plus, per header, its key and value bytes and 2 for their lengths (at least that on the wire). */
    static int bytes(byte[] key, Headers headers) {
        long n = key == null ? 0 : key.length;
        if (headers != null) {
            for (Header h : headers) {
                // plus at least a byte for each of its two length fields: many empty headers still weigh
                n += 2 + utf8Length(h.key()) + (h.value() == null ? 0 : h.value().length);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    /** The UTF-8 length of {@code s}, counted without encoding it (no allocation per record). */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Why a record's key and headers are refused, or null when they fit under {@code limit}. */
    static String refusal(byte[] key, Headers headers, int limit) {
        int n = bytes(key, headers);
        if (n <= limit) {
            return null;
        }
        return "the record's key (" + (key == null ? 0 : key.length) + " bytes) and headers (" + (n - (key == null ? 0
                : key.length)) + " bytes) take " + n + " bytes, over the " + limit + "-byte limit for what an event "
                + "carries to its outputs; this dead letter keeps neither the headers nor the value, nor a key over the "
                + "limit (the source partition and offset name the record)";
    }
}
