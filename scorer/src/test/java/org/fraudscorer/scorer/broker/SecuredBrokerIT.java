package org.fraudscorer.scorer.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.devkafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured mode of the embedded broker, which the secured-cluster tests rely on: a client must authenticate, and an
 * authenticated one may do only what an ACL allows.
 */
@Timeout(120)
class SecuredBrokerIT {
    @TempDir
    Path dir;

    @Test
    void shouldRequireAPasswordAndAnAcl() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(dir,
                Map.of("alice", "alice-secret", "bob", "bob-secret"))) {
            Map<String, Object> admin = client(broker, EmbeddedKafkaBroker.BROKER_USER,
                    EmbeddedKafkaBroker.brokerPassword());
            try (Admin a = Admin.create(admin)) {
                a.createTopics(List.of(new NewTopic("payments", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                AclBinding write = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "payments",
                        PatternType.LITERAL), new AccessControlEntry("User:alice", "*", AclOperation.WRITE,
                        AclPermissionType.ALLOW));
                a.createAcls(List.of(write)).all().get(30, TimeUnit.SECONDS);
                // the controller commits the ACL, the broker applies it after: wait until the broker lists it
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!a.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY).values()
                        .get(30, TimeUnit.SECONDS).contains(write)) {
                    assertThat(System.nanoTime()).as("ACL applied within 30 s").isLessThan(deadline);
                    Thread.sleep(50);
                }
            }
            // alice, with her ACL, writes
            assertThat(send(client(broker, "alice", "alice-secret")).offset()).isZero();
            // bob authenticates but has no ACL
            assertThatThrownBy(() -> send(client(broker, "bob", "bob-secret")))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            // a wrong password does not authenticate
            assertThatThrownBy(() -> send(client(broker, "alice", "wrong")))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static org.apache.kafka.clients.producer.RecordMetadata send(Map<String, Object> config)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        config.put("max.block.ms", 10_000);
        config.put("delivery.timeout.ms", 20_000);
        config.put("request.timeout.ms", 10_000);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            return p.send(new ProducerRecord<>("payments", "k", "v")).get(30, TimeUnit.SECONDS);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ExecutionException(e); // failed in send(): same shape as a failed future
        }
    }

    private static Map<String, Object> client(EmbeddedKafkaBroker broker, String user, String password) {
        Map<String, Object> c = new HashMap<>(broker.clientProperties(user, password));
        c.put("bootstrap.servers", broker.bootstrapServers());
        return c;
    }
}
