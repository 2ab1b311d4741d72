package io.openiot.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs requests with the AWS SDK for Java v2's own SigV4 signer (never ours) and sends them over real HTTP, so
 * that a test can take a correctly signed request apart: change its body, its clock or its secret.
 */
final class SdkSigner {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    SdkSigner(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Signs {@code method path signedBody} as {@code service}, then sends {@code sentBody}. */
    HttpResponse<String> send(String method, String path, String signedBody, String sentBody, String accessKeyId,
                              String secret, String service, Clock clock, boolean presigned) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(URI.create(baseUrl + path));
        if (signedBody != null) {
            request.putHeader("Content-Type", "application/json");
        }
        byte[] signedBytes = signedBody == null ? null : signedBody.getBytes(StandardCharsets.UTF_8);
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> {
            sign.identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                    .request(request.build())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock);
            if (signedBytes != null) {
                sign.payload(ContentStreamProvider.fromByteArray(signedBytes));
            }
            if (presigned) {
                sign.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(15));
            }
        });
        SdkHttpRequest signedRequest = signed.request();
        HttpRequest.Builder out = HttpRequest.newBuilder(signedRequest.getUri()).timeout(Duration.ofSeconds(10))
                .method(method, sentBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(sentBody));
        for (Map.Entry<String, List<String>> header : signedRequest.headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("host") && !header.getKey().equalsIgnoreCase("content-length")) {
                header.getValue().forEach(value -> out.header(header.getKey(), value));
            }
        }
        try {
            return HTTP.send(out.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
