package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link RawEventTopologyTest} with the input read as keyed by card ({@code --input-keyed-by-card}):
 * the same outputs, bit for bit, without the repartition by card; and an event keyed otherwise is refused.
 */
class RawEventTopologyKeyedByCardTest extends RawEventTopologyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    boolean inputKeyedByCard() {
        return true;
    }

    @Test
    void anEventNotKeyedByItsCardIsADeadLetterNamingBothAndLeavesNoCardHistory() throws Exception {
        long card = events.customer(0);
        byte[] json = RawEventJson.event(events.id(0), events.time(0), card, events.terminal(0), events.amount(0));
        String transactionKey = "tx-" + events.id(0);
        String[] wrongKeys = {transactionKey, "0" + card, Long.toString(card + 1), "-" + card};
        for (String k : wrongKeys) {
            input.pipeInput(k.getBytes(StandardCharsets.UTF_8), json);
        }
        input.pipeInput((byte[]) null, json);
        var dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(wrongKeys.length + 1);
        for (int n = 0; n < dead.size(); n++) {
            TestRecord<byte[], byte[]> r = dead.get(n);
            JsonNode d = JSON.readTree(r.value());
            assertThat(d.get("reason").asText()).isEqualTo("KEY_NOT_CARD");
            assertThat(d.get("detail").asText()).contains("CUSTOMER_ID " + card)
                    .contains(n < wrongKeys.length ? "\"" + wrongKeys[n] + "\"" : "key null");
            assertThat(d.get("sourceTopic").asText()).isEqualTo(topics.input());
            assertThat(d.get("sourceOffset").asLong()).isEqualTo(n);
            assertThat(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8))
                    .as("a dead letter at intake keeps the producer's key")
                    .isEqualTo(n < wrongKeys.length ? wrongKeys[n] : null);
        }
        assertThat(driver.<Long, byte[]>getKeyValueStore(CustomerStage.STORE).get(card))
                .as("a refused event never reaches the card's history").isNull();
        assertThat(flagged.readRecordsToList()).isEmpty();
        assertThat(clean.readRecordsToList()).isEmpty();
        assertThat(metrics.registry().get("fraud.dead_letters").tag("reason", "KEY_NOT_CARD").counter().count())
                .isEqualTo(wrongKeys.length + 1);

        // The same event keyed by its card is scored, with the offline replay's features of a card's first payment
        input.pipeInput(cardKey(card), json);
        Map<Long, JsonNode> out = byId(clean, byId(flagged, new HashMap<>()));
        assertThat(out).hasSize(1);
        JsonNode features = out.get(events.id(0)).get("features");
        for (int j = 0; j < HandbookFeatures.TERMINAL; j++) {
            assertThat(features.get(j).asDouble()).isEqualTo(offline[j]);
        }
    }
}
