package org.fraudscorer.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.fraudscorer.bench.StreamBench.Cluster;

/**
 * On a given cluster, deletes at close every topic and consumer group whose name starts with the run's prefix:
 * the benchmark's topics, the Streams applications' internal topics and their groups (named after their
 * application ids). Transactional ids cannot be deleted; the broker expires them
 * ({@code transactional.id.expiration.ms}, 7 days by default). Best effort: a failure is reported with the prefix
 * to delete by hand, and does not hide the results.
 */
record RunTopics(Cluster cluster, String prefix) implements AutoCloseable {
    @Override
    public void close() {
        Admin admin = Admin.create(cluster.client());
        try {
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix)).sorted().toList();
            admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
            List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(g -> g.groupId()).filter(g -> g.startsWith(prefix)).sorted().toList();
            // a closed Streams client may stay a member until its session times out: removed first
            var described = admin.describeConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
            for (String group : groups) {
                if (!described.get(group).members().isEmpty()) {
                    admin.removeMembersFromConsumerGroup(group,
                            new RemoveMembersFromConsumerGroupOptions())
                            .all().get(30, TimeUnit.SECONDS);
                }
            }
            admin.deleteConsumerGroups(groups).all().get(60, TimeUnit.SECONDS);
            System.err.printf(Locale.ROOT, "[broker] deleted the run's %d topics and %d consumer groups (%s*)%n",
                    topics.size(), groups.size(), prefix);
        } catch (Exception e) {
            System.err.println("[broker] WARNING could not delete the run's topics and groups (" + prefix + "*): "
                    + e + "; delete them by hand");
        } finally {
            admin.close(Duration.ofSeconds(5)); // an unreachable cluster must not hold the exit for long
        }
    }
}
