package io.openiot.policy.credential.domain;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** New identifiers and secrets, in the shapes AWS and OAuth2 clients expect. */
public final class CredentialGenerator {

    /** IAM access key ids: "AKIA" and 16 characters of the RFC 4648 base32 alphabet, 20 in all. */
    public static final Pattern ACCESS_KEY_ID = Pattern.compile("AKIA[A-Z2-7]{16}");

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_ACCESS_KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .toCharArray();
    private static final char[] CLIENT_ID = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final SecureRandom random;

    public CredentialGenerator(SecureRandom random) {
        this.random = random;
    }

    public String accessKeyId() {
        return "AKIA" + randomString(BASE32, 16);
    }

    /** 40 characters, as IAM's secret access keys. */
    public String secretAccessKey() {
        return randomString(SECRET_ACCESS_KEY, 40);
    }

    public String clientId() {
        return "client-" + randomString(CLIENT_ID, 20);
    }

    /** 256 random bits, URL-safe so it needs no escaping in a form body or a Basic header. */
    public String clientSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String randomString(char[] alphabet, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(chars);
    }
}
