package io.openiot.policylang;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What is known about one connection when its policies are compiled: the values of the policy variables and
 * condition keys. Fixed for the life of a connection, so variables are substituted once.
 *
 * @param region      the region in the platform's ARNs
 * @param accountId   the account id in the platform's ARNs
 * @param clientId    the MQTT client id ({@code iot:ClientId}), or {@code null}
 * @param certificate the client certificate ({@code iot:Certificate.*}, {@code iot:CertificateId}), or {@code null}
 * @param thing       the thing attached to the principal whose name is the client id
 *                    ({@code iot:Connection.Thing.*}), or {@code null}
 * @param sourceIp    the client's IP address ({@code aws:SourceIp}), or {@code null}
 * @param domainName  the domain name the client connected to ({@code iot:DomainName}), or {@code null}
 */
public record PrincipalContext(String region, String accountId, String clientId, CertificateInfo certificate,
        ThingInfo thing, String sourceIp, String domainName) {

    /** Defaults of the platform's ARNs, as policy-service's {@code iot.policy.arn.*}. */
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";

    public PrincipalContext {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
    }

    /**
     * The registry's view of a thing.
     *
     * @param name       the thing name
     * @param typeName   its thing type, or {@code null}
     * @param attributes its attributes
     */
    public record ThingInfo(String name, String typeName, Map<String, String> attributes) {
        public ThingInfo {
            Objects.requireNonNull(name, "name");
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }

    /**
     * The fields of a client certificate that policy variables name. Distinguished-name and alternative-name maps
     * are keyed by AWS's attribute names ({@code CommonName}, {@code Country}, {@code Organization},
     * {@code OrganizationalUnit}, {@code State}, {@code SerialNumber}, {@code Title}, {@code Surname},
     * {@code GivenName}, {@code Initials}, {@code Pseudonym}, {@code GenerationQualifier},
     * {@code DistinguishedNameQualifier}; {@code RFC822Name}, {@code DNSName}, {@code DirectoryName},
     * {@code UniformResourceIdentifier}, {@code IPAddress}), each with its values in certificate order. The maps
     * are kept with lower-cased keys, because variable names are case-insensitive.
     *
     * @param certificateId           the certificate id (SHA-256 fingerprint, 64 hex)
     * @param subject                 subject attributes
     * @param issuer                  issuer attributes
     * @param subjectAlternativeNames subject alternative names
     * @param issuerAlternativeNames  issuer alternative names
     * @param serialNumber            the certificate's serial number as AWS prints it, or {@code null}
     * @param notBefore               start of validity, or {@code null}
     * @param notAfter                end of validity, or {@code null}
     */
    public record CertificateInfo(String certificateId, Map<String, List<String>> subject,
            Map<String, List<String>> issuer, Map<String, List<String>> subjectAlternativeNames,
            Map<String, List<String>> issuerAlternativeNames, String serialNumber, Instant notBefore,
            Instant notAfter) {
        public CertificateInfo {
            subject = copy(subject);
            issuer = copy(issuer);
            subjectAlternativeNames = copy(subjectAlternativeNames);
            issuerAlternativeNames = copy(issuerAlternativeNames);
        }

        /**
         * The fields of a client certificate, read with the JDK: subject and issuer attributes, alternative names,
         * serial number (lower-case hex), validity, and the certificate id (SHA-256 of the DER encoding).
         */
        public static CertificateInfo of(java.security.cert.X509Certificate certificate) {
            return CertificateFields.read(certificate);
        }

        private static Map<String, List<String>> copy(Map<String, List<String>> map) {
            if (map == null) {
                return Map.of();
            }
            Map<String, List<String>> copy = new java.util.HashMap<>();
            map.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            return Map.copyOf(copy);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a context; everything but region and account is optional. */
    public static final class Builder {
        private String region = DEFAULT_REGION;
        private String accountId = DEFAULT_ACCOUNT_ID;
        private String clientId;
        private CertificateInfo certificate;
        private ThingInfo thing;
        private String sourceIp;
        private String domainName;

        private Builder() {
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder certificate(CertificateInfo certificate) {
            this.certificate = certificate;
            return this;
        }

        public Builder thing(ThingInfo thing) {
            this.thing = thing;
            return this;
        }

        public Builder sourceIp(String sourceIp) {
            this.sourceIp = sourceIp;
            return this;
        }

        public Builder domainName(String domainName) {
            this.domainName = domainName;
            return this;
        }

        public PrincipalContext build() {
            return new PrincipalContext(region, accountId, clientId, certificate, thing, sourceIp, domainName);
        }
    }

    /**
     * Whether the thing variables resolve: AWS takes the thing from the client id, so the thing must be the one the
     * client id names (and, as the caller guarantees, attached to the principal).
     */
    boolean thingResolves() {
        return thing != null && clientId != null && thing.name().equals(clientId);
    }
}
