package io.openiot.web.security;

/** The credential scope of a SigV4 request: whose key, for which day ({@code yyyyMMdd}), region and service. */
public record SigningKeyRequest(String accessKeyId, String date, String region, String service) {
}
