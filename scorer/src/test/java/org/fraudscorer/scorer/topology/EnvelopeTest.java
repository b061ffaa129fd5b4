package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.junit.jupiter.api.Test;

/** What an event carries to its outputs: its key and headers, counted and bounded. */
class EnvelopeTest {

    @Test
    void theKeyAndEachHeadersKeyAndValueAreCountedInUtf8Bytes() {
        RecordHeaders h = new RecordHeaders();
        h.add("traceparent", new byte[55]);
        h.add("empty", null);
        h.add("clé-€-𝄞", new byte[3]);
        int keys = "traceparent".length() + "empty".length() + "clé-€-𝄞".getBytes(StandardCharsets.UTF_8).length;
        assertThat(Envelope.bytes(new byte[10], h)).as("2 bytes per header for its lengths")
                .isEqualTo(10 + keys + 55 + 3 + 3 * 2);
        assertThat(Envelope.bytes(null, null)).isZero();
        for (String s : new String[] {"", "ascii", "é", "€uro", "𝄞", "a\uD800b"}) { // a lone surrogate: 3, an upper bound
            int expected = s.equals("a\uD800b") ? 5 : s.getBytes(StandardCharsets.UTF_8).length;
            assertThat(Envelope.utf8Length(s)).as(s).isEqualTo(expected);
        }
    }

    @Test
    void aKeyAndHeadersOverTheLimitAreRefusedNamingBothSizes() {
        RecordHeaders h = new RecordHeaders();
        h.add("x", new byte[99]);
        assertThat(Envelope.refusal(new byte[898], h, 1_000)).isNull(); // 898 + 2 + 1 + 99: exactly at the limit
        assertThat(Envelope.refusal(new byte[899], h, 1_000)).startsWith("the record's key (899 bytes) and headers "
                + "(102 bytes) take 1001 bytes, over the 1000-byte limit");
        RecordHeaders many = new RecordHeaders();
        for (int i = 0; i < 600; i++) {
            many.add("", null); // empty, but each still costs its two length bytes
        }
        assertThat(Envelope.refusal(null, many, 1_000)).contains("headers (1200 bytes)");
    }

    @Test
    void theLimitIs16KibOrAnEighthOfTheRequestSizeAndScoredOutputsLeaveRoomForIt() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "unused:9092");
        ScorerConfig defaults = new ScorerConfig(Topics.defaults(), p, 16_384, 3);
        assertThat(defaults.maxEnvelopeBytes()).isEqualTo(16_384);
        assertThat(defaults.maxOutputBytes()).isEqualTo(1_048_576 - 1_024 - 16_384);
        p.put("producer.max.request.size", "102400");
        ScorerConfig small = new ScorerConfig(Topics.defaults(), p, 16_384, 3);
        assertThat(small.maxEnvelopeBytes()).isEqualTo(12_800);
        assertThat(small.maxOutputBytes()).isEqualTo(102_400 - 1_024 - 12_800);
    }
}
