package io.openiot.gateway.mqtt;

import io.moquette.broker.ISslContextCreator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The TLS listener's context: the server's key and certificate, the trusted CAs, a client certificate required, and
 * TLS 1.2 and 1.3 only. An ALPN offer (the AWS SDKs send {@code x-amzn-mqtt-ca}) is ignored, as it may be.
 */
final class TlsContextCreator implements ISslContextCreator {

    private final MqttProperties.Tls tls;

    TlsContextCreator(MqttProperties.Tls tls) {
        this.tls = tls;
    }

    @Override
    public SslContext initSSLContext() {
        try {
            return SslContextBuilder.forServer(Path.of(tls.serverCertificate()).toFile(),
                            Path.of(tls.serverKey()).toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(trustedCertificates())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("Cannot build the MQTT TLS context from iot.gateway.mqtt.tls.*", e);
        }
    }

    private X509Certificate[] trustedCertificates() {
        if (tls.trustedCertificates().isEmpty()) {
            throw new IllegalStateException("iot.gateway.mqtt.tls.trusted-certificates is empty: no client "
                    + "certificate could connect");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (String file : tls.trustedCertificates()) {
                try (InputStream in = Files.newInputStream(Path.of(file))) {
                    factory.generateCertificates(in).forEach(c -> certificates.add((X509Certificate) c));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A trusted CA file is not PEM X.509", e);
        }
        return certificates.toArray(X509Certificate[]::new);
    }
}
