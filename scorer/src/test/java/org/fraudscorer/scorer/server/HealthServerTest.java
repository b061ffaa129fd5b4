package org.fraudscorer.scorer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthServerTest {
    /**
     * Clients that send half a request and stall must not hold the probes behind them: with the JDK server's own
     * dispatcher thread serving requests, the first stalled client blocked every later one until it went away.
     */
    @Test
    void aClientThatStallsMidRequestDoesNotHoldTheProbesBehindIt() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<Socket> stalled = new ArrayList<>();
        try (HealthServer server = new HealthServer("127.0.0.1", 0, registry,
                () -> new HealthServer.Health(true, "{\"status\":\"UP\"}"))) {
            for (int i = 0; i < HealthServer.THREADS - 1; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                OutputStream o = s.getOutputStream();
                o.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII)); // no end
                o.flush();
                stalled.add(s);
            }
            Thread.sleep(200); // the server has begun reading them
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    /** A port in use and an address not of this host are told apart (both read "is not free"; found by a hunt). */
    @Test
    void aBusyPortAndAForeignAddressAreToldApart() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (HealthServer first = new HealthServer("127.0.0.1", 0, registry,
                () -> new HealthServer.Health(true, "{}"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HealthServer("127.0.0.1", first.port(),
                    registry, () -> new HealthServer.Health(true, "{}"))).isInstanceOf(java.net.BindException.class)
                    .hasMessageStartingWith("metrics port 127.0.0.1:" + first.port() + " is not free");
        }
        // 192.0.2.1: TEST-NET-1 (RFC 5737), never an address of this host
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HealthServer("192.0.2.1", 0, registry,
                () -> new HealthServer.Health(true, "{}"))).isInstanceOf(java.net.BindException.class)
                .hasMessageStartingWith("--metrics-host 192.0.2.1 is not an address of this host");
        // a host name that does not resolve (.invalid never does): it read 'error: Unresolved address' (bad-input hunt)
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HealthServer("metrics-host.invalid", 0, registry,
                () -> new HealthServer.Health(true, "{}"))).isInstanceOf(java.net.BindException.class)
                .hasMessage("--metrics-host metrics-host.invalid does not resolve to an address: give one of this "
                        + "host's own addresses, 0.0.0.0 for all, or 127.0.0.1");
    }
}
