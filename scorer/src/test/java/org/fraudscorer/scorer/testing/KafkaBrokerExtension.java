package org.fraudscorer.scorer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import org.fraudscorer.devkafka.EmbeddedKafkaBroker;
import org.fraudscorer.devkafka.TempDir;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Hands tests a {@link TestBroker}: {@code @ExtendWith(KafkaBrokerExtension.class)}, then declare a
 * {@code TestBroker} parameter (test method, constructor, or {@code @BeforeAll}/{@code @BeforeEach} method).
 *
 * <p>Where the broker comes from, first match wins:
 * <ol>
 *   <li>environment variable {@code KAFKA_BOOTSTRAP_SERVERS}: an external broker, used as is;</li>
 *   <li>Testcontainers' {@code apache/kafka} image, if a Docker engine is available (on a fixed host port, so that
 *       {@link TestBroker#restart()} can stop and start the container);</li>
 *   <li>otherwise {@link EmbeddedKafkaBroker} in this JVM (the path CI takes: there is no Docker there).</li>
 * </ol>
 * The broker is obtained once per test JVM (kept in the root {@link ExtensionContext.Store}) and closed by JUnit at
 * the end of the run. It never skips: if no broker can be had, the tests fail.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context); // start it before the class runs, so a broker failure shows up as a class failure
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    /** The broker of this test JVM, started on first use. */
    public static TestBroker broker(ExtensionContext context) {
        // AutoCloseable values in a store are closed when the store's context ends (JUnit >= 5.13; the
        // older Store.CloseableResource is deprecated). The root context ends with the test run.
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(ManagedBroker.class, type -> ManagedBroker.create(), ManagedBroker.class)
                .broker();
    }

    /** The chosen broker and how to release it. */
    private record ManagedBroker(TestBroker broker, Closer closer) implements AutoCloseable {

        static ManagedBroker create() {
            long t0 = System.nanoTime();
            String external = System.getenv(BOOTSTRAP_ENV);
            ManagedBroker managed;
            if (external != null && !external.isBlank()) {
                managed = new ManagedBroker(new Simple("external", external.trim()), () -> { });
            } else if (DockerClientFactory.instance().isDockerAvailable()) {
                managed = testcontainers();
            } else {
                managed = embedded();
            }
            LOG.info("Kafka for tests: {} broker at {} (ready in {} ms)", managed.broker.kind(),
                    managed.broker.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
            return managed;
        }

        /**
         * Testcontainers' Kafka with its listener on a fixed host port (chosen free here), so that a stop and start of
         * the same container (its data and start script kept) serves again on the address clients already have.
         */
        private static ManagedBroker testcontainers() {
            RuntimeException last = null;
            for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken before the container binds it
                int hostPort = freePort();
                KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
                container.setPortBindings(List.of(hostPort + ":" + CONTAINER_KAFKA_PORT));
                try {
                    container.start();
                } catch (RuntimeException e) {
                    container.stop();
                    last = e;
                    continue;
                }
                String bootstrap = container.getBootstrapServers();
                TestBroker view = new TestBroker() {
                    @Override
                    public String bootstrapServers() {
                        return bootstrap;
                    }

                    @Override
                    public String kind() {
                        return "testcontainers";
                    }

                    @Override
                    public boolean canRestart() {
                        return true;
                    }

                    @Override
                    public void restart() {
                        DockerClient docker = DockerClientFactory.instance().client();
                        docker.stopContainerCmd(container.getContainerId()).exec();
                        docker.startContainerCmd(container.getContainerId()).exec();
                        awaitServing(bootstrap, Duration.ofSeconds(120));
                    }

                    @Override
                    public void restartAfter(Duration down) {
                        DockerClient docker = DockerClientFactory.instance().client();
                        docker.stopContainerCmd(container.getContainerId()).exec();
                        try {
                            Thread.sleep(down.toMillis()); // the outage itself: nothing to wait for
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted during the outage", e);
                        }
                        docker.startContainerCmd(container.getContainerId()).exec();
                        awaitServing(bootstrap, Duration.ofSeconds(120));
                    }
                };
                return new ManagedBroker(view, container::stop);
            }
            throw last;
        }

        private static ManagedBroker embedded() {
            TempDir dir = createTempDir();
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.path(), 0);
            TestBroker view = new TestBroker() {
                @Override
                public String bootstrapServers() {
                    return broker.bootstrapServers();
                }

                @Override
                public String kind() {
                    return "embedded";
                }

                @Override
                public boolean canRestart() {
                    return true;
                }

                @Override
                public void restart() {
                    broker.restart();
                }

                @Override
                public void restartAfter(java.time.Duration down) {
                    broker.stop();
                    try {
                        Thread.sleep(down.toMillis()); // the outage itself: nothing to wait for
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted during the outage", e);
                    }
                    broker.restart();
                }
            };
            return new ManagedBroker(view, () -> {
                broker.close();
                dir.close();
            });
        }

        @Override
        public void close() throws IOException {
            closer.close();
        }
    }

    @FunctionalInterface
    private interface Closer {
        void close() throws IOException;
    }

    private record Simple(String kind, String bootstrapServers) implements TestBroker {
    }

    /** Kafka's listener port inside the apache/kafka container (Testcontainers' {@code KafkaHelper.KAFKA_PORT}). */
    private static final int CONTAINER_KAFKA_PORT = 9092;

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blocks until the broker at {@code bootstrap} lists a node, retrying through connection failures. */
    static void awaitServing(String bootstrap, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
                if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker at " + bootstrap, e);
            } catch (Exception e) {
                last = e;
            }
        }
        throw new IllegalStateException("broker at " + bootstrap + " not serving within " + timeout, last);
    }

    private static TempDir createTempDir() {
        try {
            return TempDir.create("fraud-kafka-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
