package org.fraudscorer.devkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * TLS material for a test broker that speaks {@code SASL_SSL} ({@link EmbeddedKafkaBroker#startSecured(Path, Map,
 * BrokerTls)}): a certificate authority, the broker's key and certificate signed by it (PKCS12 key store), and the
 * authority's certificate as a PEM file, which is what a bank hands its clients ({@code ssl.truststore.type=PEM}).
 * Made by the JDK's {@code keytool}, so that the clients validate a real chain with hostname verification on, as they
 * would against a bank's cluster. For tests only: the keys are made fresh and the password is fixed.
 *
 * <p>The broker's certificate names {@code CN=broker} (its principal on a {@link
 * EmbeddedKafkaBroker#startMutualTls mutual-TLS} broker) and {@code localhost} and 127.0.0.1 as its addresses (what
 * hostname verification checks). {@link #clientKeyStore} issues a client its own certificate for mutual TLS.
 *
 * @param keyStore      the broker's key and certificate chain (PKCS12, {@link #password})
 * @param caCertificate the authority's certificate (PEM), the clients' trust store
 * @param password      of the key stores and their keys
 * @param authority     the authority's own key store (PKCS12), which signs the certificates
 */
public record BrokerTls(Path keyStore, Path caCertificate, String password, Path authority) {
    private static final String PASSWORD = "broker-tls-secret";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    /**
     * Makes a fresh authority and a broker certificate for {@code localhost} (and 127.0.0.1) in {@code dir}, valid
     * for a week.
     */
    public static BrokerTls create(Path dir) {
        try {
            Files.createDirectories(dir);
            Path ca = dir.resolve("ca.p12");
            Path caPem = dir.resolve("ca.pem");
            Path keyStore = dir.resolve("broker.p12");
            Path request = dir.resolve("broker.csr");
            Path signed = dir.resolve("broker.pem");
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=fraud-scorer test CA", "-ext", "bc:c", "-validity", "7", "-storetype", "PKCS12",
                    "-keystore", ca.toString(), "-storepass", PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD,
                    "-file", caPem.toString());
            keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=" + EmbeddedKafkaBroker.BROKER_USER, "-validity", "7", "-storetype", "PKCS12", "-keystore",
                    keyStore.toString(), "-storepass", PASSWORD);
            keytool("-certreq", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                    "-file", request.toString());
            keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-infile",
                    request.toString(), "-outfile", signed.toString(), "-rfc", "-validity", "7", "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1", "-ext", "EKU=serverAuth,clientAuth");
            // the chain (broker, then CA) replaces the broker's self-signed certificate: import the CA first
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore",
                    keyStore.toString(), "-storepass", PASSWORD);
            keytool("-importcert", "-alias", "broker", "-file", signed.toString(), "-keystore", keyStore.toString(),
                    "-storepass", PASSWORD);
            return new BrokerTls(keyStore, caPem, PASSWORD, ca);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The authority's certificate in a JKS trust store in {@code dir} (Kafka's default trust store type), as older
     * client setups hold it.
     *
     * @return the client's trust settings: {@code ssl.truststore.location} and {@code ssl.truststore.password}
     */
    public Map<String, String> jksTrustStore(Path dir) {
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve("truststore.jks");
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate.toString(), "-storetype", "JKS",
                    "-keystore", store.toString(), "-storepass", password);
            return Map.of("ssl.truststore.location", store.toString(), "ssl.truststore.password", password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Issues {@code user} a client certificate ({@code CN=user}) signed by this authority, in a PKCS12 key store in
     * {@code dir} with the chain, as a bank's PKI hands one out for mutual TLS.
     *
     * @return the client's TLS settings: this key store, and the trust store of {@link #clientProperties()}
     */
    public Map<String, String> clientKeyStore(Path dir, String user) {
        if (!user.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("user names are [A-Za-z0-9._-]+: " + user);
        }
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve(user + ".p12");
            Path request = dir.resolve(user + ".csr");
            Path signed = dir.resolve(user + ".pem");
            keytool("-genkeypair", "-alias", user, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + user,
                    "-validity", "7", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password);
            keytool("-certreq", "-alias", user, "-keystore", store.toString(), "-storepass", password, "-file",
                    request.toString());
            keytool("-gencert", "-alias", "ca", "-keystore", authority.toString(), "-storepass", password, "-infile",
                    request.toString(), "-outfile", signed.toString(), "-rfc", "-validity", "7", "-ext",
                    "EKU=clientAuth");
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate.toString(), "-keystore",
                    store.toString(), "-storepass", password);
            keytool("-importcert", "-alias", user, "-file", signed.toString(), "-keystore", store.toString(),
                    "-storepass", password);
            Map<String, String> p = new java.util.HashMap<>(clientProperties());
            p.putAll(Map.of("security.protocol", "SSL", "ssl.keystore.type", "PKCS12", "ssl.keystore.location",
                    store.toString(), "ssl.keystore.password", password, "ssl.key.password", password));
            return Map.copyOf(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client's TLS settings: trust the authority's certificate (PEM). Hostname verification stays Kafka's default. */
    public Map<String, String> clientProperties() {
        return Map.of("ssl.truststore.type", "PEM", "ssl.truststore.location", caCertificate.toString());
    }

    /** The broker's TLS settings, for every TLS listener. */
    Map<String, String> brokerProperties() {
        return Map.of("ssl.keystore.type", "PKCS12", "ssl.keystore.location", keyStore.toString(),
                "ssl.keystore.password", password, "ssl.key.password", password,
                // the node's own inter-broker connections validate the broker's certificate like any client
                "ssl.truststore.type", "PEM", "ssl.truststore.location", caCertificate.toString());
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s: "
                        + command);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed (exit " + p.exitValue() + "): "
                    + output.strip());
        }
    }
}
