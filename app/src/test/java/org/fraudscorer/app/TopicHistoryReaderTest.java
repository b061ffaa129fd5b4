package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The consumer behind every history read (retrain, backfill, label and model history): it commits nothing, reads
 * only committed records, and takes the OS's receive buffer unless the user chose one (docs/latency.md, "Where the
 * tail comes from").
 */
class TopicHistoryReaderTest {

    @Test
    void aHistoryReadUsesTheOsReceiveBufferReadsCommittedAndJoinsNoGroup() {
        Properties user = new Properties();
        user.put("bootstrap.servers", "broker:9092");
        user.put("group.id", "someone-elses-group");
        user.put("isolation.level", "read_uncommitted");
        Properties p = org.fraudscorer.scorer.broker.TopicReader.readerProperties(user);
        assertThat(p).containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("receive.buffer.bytes", "-1")
                .containsEntry("allow.auto.create.topics", "false")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", "false")
                .doesNotContainKey("group.id");
        assertThat(user).containsEntry("group.id", "someone-elses-group"); // the caller's settings are not touched
    }

    @Test
    void aUsersReceiveBufferAndTimeoutWin() {
        Properties user = new Properties();
        user.put("receive.buffer.bytes", "65536");
        user.put("default.api.timeout.ms", "5000");
        Properties p = org.fraudscorer.scorer.broker.TopicReader.readerProperties(user);
        assertThat(p).containsEntry("receive.buffer.bytes", "65536").containsEntry("default.api.timeout.ms", "5000");
    }

    /**
     * Creditcard labels join the row they are about: the label's own row when it carries one (the console's do),
     * whatever event came first with its id; a label without a row for an id that came with different rows is
     * ambiguous and not applied; otherwise the event of its id. Rows come out in Time order.
     */
    @Test
    void aCreditcardLabelTrainsOnItsOwnRowAndAnAmbiguousOneIsLeftOut() {
        java.util.Map<String, double[]> byId = new java.util.HashMap<>();
        byId.put("1", new double[] {10, 1}); // the first file's row 1
        byId.put("2", new double[] {20, 2});
        byId.put("3", new double[] {5, 3});
        java.util.Set<String> differing = java.util.Set.of("1", "2"); // a second file sent other rows 1 and 2
        java.util.Map<String, CreditCardTopicHistory.CardLabel> labels = new java.util.HashMap<>();
        labels.put("1", new CreditCardTopicHistory.CardLabel(1, new double[] {30, 9})); // the second file's row, judged
        labels.put("2", new CreditCardTopicHistory.CardLabel(0, null)); // which row 2? unknown
        labels.put("3", new CreditCardTopicHistory.CardLabel(0, null));
        CreditCardTopicHistory.Joined j = CreditCardTopicHistory.join(byId, differing, labels, 2);
        assertThat(j.ids()).containsExactly("3", "1");
        assertThat(j.rows()).containsExactly(5, 3, 30, 9);
        assertThat(j.labels()).containsExactly(0, 1);
        assertThat(j.withTheirRow()).isEqualTo(1);
        assertThat(j.ambiguous()).isEqualTo(1);
    }

    /**
     * An id's places on the input topic: its first event on each partition it came on (a retry or a second file's row
     * on the same partition comes later and adds nothing a champion's read could have seen first).
     */
    @Test
    void anIdKeepsItsFirstEventOnEachPartition() {
        long[] first = {2, 40};
        long[] retried = CreditCardTopicHistory.place(first, new long[] {2, 95});
        assertThat(retried).containsExactly(2, 40);
        assertThat(CreditCardTopicHistory.place(retried, new long[] {0, 7})).containsExactly(2, 40, 0, 7);
    }
}
