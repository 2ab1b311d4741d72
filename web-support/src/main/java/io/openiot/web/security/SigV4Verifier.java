package io.openiot.web.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks an AWS Signature Version 4 request, in the header form ({@code Authorization: AWS4-HMAC-SHA256 ...}) and
 * the presigned query form, exactly as AWS specifies the canonical request. Plain Java: the caller supplies the raw
 * request and a {@link SigningKeyProvider}.
 */
final class SigV4Verifier {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration MAX_PRESIGNED_EXPIRY = Duration.ofDays(7);
    private static final HexFormat HEX = HexFormat.of();

    private final SigningKeyProvider keys;
    private final RevocationList revocations;
    private final String region;
    private final Set<String> signingNames;
    private final Duration maxClockSkew;
    private final Clock clock;

    SigV4Verifier(SigningKeyProvider keys, RevocationList revocations, String region, Set<String> signingNames, Duration maxClockSkew,
                  Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.region = region;
        this.signingNames = Set.copyOf(signingNames);
        this.maxClockSkew = maxClockSkew;
        this.clock = clock;
    }

    /** @return the key of the verified caller; throws {@link SigV4Exception} for every refusal */
    SigningKey verify(SigV4Request request) {
        List<String[]> query = parseQuery(request.rawQuery());
        String authorization = request.header("authorization");
        boolean presigned = authorization == null || !authorization.startsWith(ALGORITHM + " ");
        Signed signed = presigned ? fromQuery(query) : fromHeader(authorization, request);

        String[] scope = signed.credential().split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty()) {
            throw incomplete("Credential must have exactly five slash-delimited elements, e.g. "
                    + "keyid/date/region/service/aws4_request");
        }
        String accessKeyId = scope[0];
        String date = scope[1];
        if (!"aws4_request".equals(scope[4])) {
            throw invalid("Credential should be scoped with a valid terminator: 'aws4_request'.");
        }
        if (!region.equals(scope[2])) {
            throw invalid("Credential should be scoped to a valid region.");
        }
        if (!signingNames.contains(scope[3])) {
            throw invalid("Credential should be scoped to correct service.");
        }
        Instant signedAt = parseDate(signed.amzDate());
        if (!signed.amzDate().startsWith(date)) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.");
        }
        checkTime(signedAt, signed);
        if (!signed.signedHeaders().contains("host")) {
            throw invalid("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }

        SigningKey key = keys.signingKey(new SigningKeyRequest(accessKeyId, date, scope[2], scope[3]))
                .orElseThrow(() -> new SigV4Exception(SigV4Exception.UNRECOGNIZED_CLIENT,
                        "The security token included in the request is invalid."));
        // a revoked key or client is refused at once, whatever a provider (or its cache) still knows
        if (revocations.accessKeyRevokedAt(accessKeyId).isPresent()
                || revocations.clientRevokedAt(key.clientId()).isPresent()) {
            throw new SigV4Exception(SigV4Exception.UNRECOGNIZED_CLIENT,
                    "The security token included in the request is invalid.");
        }

        String bodyHash = hex(sha256(request.body()));
        String declaredHash = request.header("x-amz-content-sha256");
        List<String> payloadHashes = new ArrayList<>();
        if (declaredHash != null) {
            if (!declaredHash.equalsIgnoreCase(bodyHash)) {
                throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
            payloadHashes.add(declaredHash);
        } else {
            payloadHashes.add(bodyHash);
            if (presigned) {
                payloadHashes.add(UNSIGNED_PAYLOAD);
            }
        }
        String credentialScope = date + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
        String canonicalQuery = canonicalQuery(query, presigned);
        String canonicalHeaders = canonicalHeaders(signed.signedHeaders(), request);
        String signedHeaderList = String.join(";", signed.signedHeaders());
        byte[] kSigning = key.key();
        byte[] provided = signed.signature().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        // AWS's SDKs encode each path segment once more before signing (double encoding); a few signers sign the
        // path as sent. The path is the same request either way, so either canonical form may match.
        for (String canonicalUri : List.of(uriEncode(pathOrRoot(request.rawPath()), false),
                pathOrRoot(request.rawPath()))) {
            for (String payloadHash : payloadHashes) {
                String canonicalRequest = request.method() + "\n" + canonicalUri + "\n" + canonicalQuery + "\n"
                        + canonicalHeaders + "\n" + signedHeaderList + "\n" + payloadHash;
                String stringToSign = ALGORITHM + "\n" + signed.amzDate() + "\n" + credentialScope + "\n"
                        + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
                byte[] expected = hex(SigningKeys.hmac(kSigning, stringToSign)).getBytes(StandardCharsets.US_ASCII);
                if (MessageDigest.isEqual(expected, provided)) {
                    return key;
                }
            }
        }
        throw invalid("The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    private void checkTime(Instant signedAt, Signed signed) {
        Instant now = clock.instant();
        if (signed.expires() == null) {
            if (signedAt.isBefore(now.minus(maxClockSkew)) || signedAt.isAfter(now.plus(maxClockSkew))) {
                throw invalid("Signature expired: " + signed.amzDate() + " is now earlier than "
                        + AMZ_DATE.format(LocalDateTime.ofInstant(now.minus(maxClockSkew), ZoneOffset.UTC))
                        + " (" + AMZ_DATE.format(LocalDateTime.ofInstant(now, ZoneOffset.UTC)) + " - "
                        + maxClockSkew.toMinutes() + " min.)");
            }
            return;
        }
        if (signed.expires().isNegative() || signed.expires().compareTo(MAX_PRESIGNED_EXPIRY) > 0) {
            throw invalid("X-Amz-Expires must be between 0 and 604800 seconds");
        }
        if (signedAt.isAfter(now.plus(maxClockSkew))) {
            throw invalid("Signature not yet current: " + signed.amzDate());
        }
        if (now.isAfter(signedAt.plus(signed.expires()))) {
            throw invalid("Signature expired: " + signed.amzDate() + " plus " + signed.expires().toSeconds()
                    + " seconds has passed");
        }
    }

    private static Signed fromHeader(String authorization, SigV4Request request) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            throw incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }
        String amzDate = request.header("x-amz-date");
        if (amzDate == null) {
            throw incomplete("Authorization header requires existence of 'X-Amz-Date' header.");
        }
        return new Signed(credential, amzDate, signedHeaderList(signedHeaders), signature, null);
    }

    private static Signed fromQuery(List<String[]> query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String[] pair : query) {
            params.putIfAbsent(pair[0], pair[1]);
        }
        if (!ALGORITHM.equals(params.get("X-Amz-Algorithm"))) {
            throw incomplete("Unsupported signing algorithm; only " + ALGORITHM + " is supported.");
        }
        String credential = params.get("X-Amz-Credential");
        String amzDate = params.get("X-Amz-Date");
        String signedHeaders = params.get("X-Amz-SignedHeaders");
        String signature = params.get("X-Amz-Signature");
        String expires = params.get("X-Amz-Expires");
        if (credential == null || amzDate == null || signedHeaders == null || signature == null || expires == null) {
            throw incomplete("A presigned request requires X-Amz-Credential, X-Amz-Date, X-Amz-Expires, "
                    + "X-Amz-SignedHeaders and X-Amz-Signature.");
        }
        Duration expiry;
        try {
            expiry = Duration.ofSeconds(Long.parseLong(expires));
        } catch (NumberFormatException e) {
            throw incomplete("X-Amz-Expires must be a number of seconds.");
        }
        return new Signed(credential, amzDate, signedHeaderList(signedHeaders), signature, expiry);
    }

    private static List<String> signedHeaderList(String signedHeaders) {
        List<String> names = new ArrayList<>();
        for (String name : signedHeaders.split(";")) {
            if (!name.isBlank()) {
                names.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static Instant parseDate(String amzDate) {
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw incomplete("X-Amz-Date must be in the ISO-8601 basic format yyyyMMdd'T'HHmmss'Z'.");
        }
    }

    private static String canonicalHeaders(List<String> signedHeaders, SigV4Request request) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = request.headers().apply(name);
            List<String> trimmed = new ArrayList<>();
            if (values != null) {
                for (String value : values) {
                    trimmed.add(value.trim().replaceAll("\\s+", " "));
                }
            }
            out.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        return out.toString();
    }

    private static String canonicalQuery(List<String[]> query, boolean presigned) {
        List<String[]> encoded = new ArrayList<>();
        for (String[] pair : query) {
            if (presigned && "X-Amz-Signature".equals(pair[0])) {
                continue;
            }
            encoded.add(new String[] {uriEncode(pair[0], true), uriEncode(pair[1], true)});
        }
        encoded.sort((a, b) -> {
            int byName = a[0].compareTo(b[0]);
            return byName != 0 ? byName : a[1].compareTo(b[1]);
        });
        StringBuilder out = new StringBuilder();
        for (String[] pair : encoded) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /** The query's name/value pairs, percent-decoded ('+' stays '+': SigV4 re-encodes it as %2B). */
    static List<String[]> parseQuery(String rawQuery) {
        List<String[]> pairs = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return pairs;
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(new String[] {percentDecode(name), percentDecode(value)});
        }
        return pairs;
    }

    private static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length
                    && Character.digit(bytes[i + 1], 16) >= 0 && Character.digit(bytes[i + 2], 16) >= 0) {
                out.write(Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** AWS's URI encoding: unreserved characters stay, everything else is %XX in upper case; '/' too if asked. */
    static String uriEncode(String text, boolean encodeSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && !encodeSlash) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String pathOrRoot(String rawPath) {
        return rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static SigV4Exception invalid(String message) {
        return new SigV4Exception(SigV4Exception.INVALID_SIGNATURE, message);
    }

    private static SigV4Exception incomplete(String message) {
        return new SigV4Exception(SigV4Exception.INCOMPLETE_SIGNATURE, message);
    }

    private record Signed(String credential, String amzDate, List<String> signedHeaders, String signature,
                          Duration expires) {
    }
}
