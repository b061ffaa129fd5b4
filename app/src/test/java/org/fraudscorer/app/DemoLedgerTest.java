package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The demo's accounting catches what a count cannot: a loss and a duplicate that cancel out. */
class DemoLedgerTest {
    private static final String IN = "in";

    private static void send(DemoLedger ledger, String key, int partition, long offset) {
        ProducerRecord<String, byte[]> r = key.startsWith("bad-")
                ? DemoLedger.malformed(IN, Long.parseLong(key.substring(4)), "{".getBytes(StandardCharsets.UTF_8))
                : new ProducerRecord<>(IN, key, "{}".getBytes(StandardCharsets.UTF_8));
        ledger.sent(r, new RecordMetadata(new TopicPartition(IN, partition), offset, 0, 0L, 0, 0));
    }

    private static DemoLedger ledgerOfThreeEventsAndTwoMalformed() {
        DemoLedger ledger = new DemoLedger(IN, ProducerRecord::key);
        send(ledger, "a", 0, 0);
        send(ledger, "b", 0, 1);
        send(ledger, "a", 1, 0); // the creditcard demo loops: an id can recur
        send(ledger, "bad-3", 1, 1);
        send(ledger, "bad-4", 2, 0);
        return ledger;
    }

    @Test
    void everyEventOutExactlyOnceIsExact() {
        DemoLedger ledger = ledgerOfThreeEventsAndTwoMalformed();
        ledger.scored("a");
        ledger.scored("b");
        ledger.scored("a");
        ledger.deadLetter(1, 1);
        ledger.deadLetter(2, 0);
        assertThat(ledger.sent()).isEqualTo(5);
        assertThat(ledger.problems()).isEmpty();
        assertThat(ledger.summary()).contains("every event accounted for exactly once: 2 distinct ids scored, 2 malformed");
    }

    @Test
    void aLostEventAndADuplicateOfAnotherAreBothReported() {
        DemoLedger ledger = ledgerOfThreeEventsAndTwoMalformed();
        ledger.scored("a");
        ledger.scored("b");
        ledger.scored("b"); // with the two dead letters, five outputs for five inputs: but one "a" lost, one "b" twice
        ledger.deadLetter(1, 1);
        ledger.deadLetter(2, 0);
        assertThat(ledger.sent()).isEqualTo(5);
        assertThat(ledger.problems()).containsExactly("1 events never scored", "1 scores more than sent");
        assertThat(ledger.summary()).startsWith("(MISMATCH: ");
    }

    @Test
    void aMalformedEventDeadLetteredTwiceInPlaceOfAnotherIsReported() {
        DemoLedger ledger = ledgerOfThreeEventsAndTwoMalformed();
        ledger.scored("a");
        ledger.scored("b");
        ledger.scored("a");
        ledger.deadLetter(1, 1);
        ledger.deadLetter(1, 1);
        assertThat(ledger.problems()).containsExactly("1 malformed events never dead-lettered",
                "1 malformed events dead-lettered more than once");
    }

    @Test
    void aFilesIdThatStartsLikeAMalformedEventsKeyIsAnEvent() {
        // demo --data sends a bank's ids as keys: "bad-debt-17" is a payment, told apart by the marking header
        DemoLedger ledger = new DemoLedger(IN, ProducerRecord::key);
        ledger.sent(new ProducerRecord<>(IN, "bad-debt-17", "{}".getBytes(StandardCharsets.UTF_8)),
                new RecordMetadata(new TopicPartition(IN, 0), 0, 0, 0L, 0, 0));
        send(ledger, "bad-1", 0, 1);
        ledger.scored("bad-debt-17");
        ledger.deadLetter(0, 1);
        assertThat(ledger.problems()).isEmpty();
        assertThat(ledger.sent()).isEqualTo(2);
    }
}
