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
        Properties p = TopicHistory.readerProperties(user);
        assertThat(p).containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("receive.buffer.bytes", "-1")
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
        Properties p = TopicHistory.readerProperties(user);
        assertThat(p).containsEntry("receive.buffer.bytes", "65536").containsEntry("default.api.timeout.ms", "5000");
    }
}
