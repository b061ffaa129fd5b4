package org.fraudscorer.scorer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The model watcher's consumer: every model on the topic, committed ones only, in one fetch, with our defaults. */
class ModelWatcherSettingsTest {

    @Test
    void theWatcherReadsCommittedModelsWithoutAGroupAndKeepsTheUsersReceiveBuffer() {
        Properties scorer = new Properties();
        scorer.put("bootstrap.servers", "k:9092");
        scorer.put("group.id", "fraud-scorer");
        scorer.put("isolation.level", "read_uncommitted");
        Properties p = ModelWatcher.consumerProperties(scorer);
        assertThat(p).containsEntry("bootstrap.servers", "k:9092").doesNotContainKey("group.id")
                .as("a model of an aborted publication was never published")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", "false").containsEntry("allow.auto.create.topics", "false")
                .containsEntry("max.partition.fetch.bytes", String.valueOf(16 * 1024 * 1024))
                .containsEntry("receive.buffer.bytes", "-1");
        assertThat(scorer).as("the scorer's own properties are left as they were").containsKey("group.id");
        scorer.put("receive.buffer.bytes", "131072");
        assertThat(ModelWatcher.consumerProperties(scorer)).containsEntry("receive.buffer.bytes", "131072");
    }
}
