package io.openiot.policy.credential.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 signing key: {@code kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region),
 * service), "aws4_request")}. Services receive this daily, scoped key instead of the secret access key.
 */
public final class SigV4SigningKey {

    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern DATE = Pattern.compile("\\d{8}");
    private static final Pattern SCOPE_PART = Pattern.compile("[a-z0-9-]{1,64}");

    private SigV4SigningKey() {
    }

    /**
     * @param date {@code yyyyMMdd}, the credential scope's date
     * @throws IllegalArgumentException if date, region or service is not what a credential scope holds
     */
    public static byte[] derive(String secretAccessKey, String date, String region, String service) {
        requireValid(date, region, service);
        byte[] kDate = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        byte[] kRegion = hmac(kDate, region);
        byte[] kService = hmac(kRegion, service);
        return hmac(kService, "aws4_request");
    }

    private static void requireValid(String date, String region, String service) {
        if (date == null || !DATE.matcher(date).matches()) {
            throw new IllegalArgumentException("date must be yyyyMMdd");
        }
        try {
            LocalDate.parse(date, DateTimeFormatter.BASIC_ISO_DATE);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("date must be yyyyMMdd");
        }
        if (region == null || !SCOPE_PART.matcher(region).matches()) {
            throw new IllegalArgumentException("region must be a region name such as us-east-1");
        }
        if (service == null || !SCOPE_PART.matcher(service).matches()) {
            throw new IllegalArgumentException("service must be a signing name such as iotdata");
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
