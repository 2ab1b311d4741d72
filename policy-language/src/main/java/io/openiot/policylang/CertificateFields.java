package io.openiot.policylang;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** Reads the fields AWS's certificate policy variables name from an X.509 certificate, with the JDK alone. */
final class CertificateFields {

    // attribute types by OID, named as AWS's policy variables name them; RFC 2253 keywords mapped below
    private static final Map<String, String> OID_NAMES = Map.of(
            "2.5.4.5", "SerialNumber",
            "2.5.4.12", "Title",
            "2.5.4.4", "Surname",
            "2.5.4.42", "GivenName",
            "2.5.4.43", "Initials",
            "2.5.4.65", "Pseudonym",
            "2.5.4.44", "GenerationQualifier",
            "2.5.4.46", "DistinguishedNameQualifier");
    private static final Map<String, String> KEYWORD_NAMES = Map.of(
            "CN", "CommonName",
            "C", "Country",
            "O", "Organization",
            "OU", "OrganizationalUnit",
            "ST", "State");
    private static final Map<Integer, String> GENERAL_NAME_TYPES = Map.of(
            1, "RFC822Name",
            2, "DNSName",
            4, "DirectoryName",
            6, "UniformResourceIdentifier",
            7, "IPAddress");

    private CertificateFields() {
    }

    static PrincipalContext.CertificateInfo read(X509Certificate certificate) {
        try {
            return new PrincipalContext.CertificateInfo(
                    fingerprint(certificate),
                    distinguishedName(certificate.getSubjectX500Principal()),
                    distinguishedName(certificate.getIssuerX500Principal()),
                    generalNames(certificate.getSubjectAlternativeNames()),
                    generalNames(certificate.getIssuerAlternativeNames()),
                    certificate.getSerialNumber().toString(16),
                    certificate.getNotBefore().toInstant(),
                    certificate.getNotAfter().toInstant());
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("Unreadable alternative names in certificate", e);
        }
    }

    /** The platform's certificate id: SHA-256 of the DER encoding, 64 lower-case hex digits. */
    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalArgumentException("Cannot encode certificate", e);
        }
    }

    private static Map<String, List<String>> distinguishedName(X500Principal principal) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        try {
            // getRdns() runs from the last RDN of the string form, which is the first of the certificate
            for (Rdn rdn : new LdapName(principal.getName(X500Principal.RFC2253, OID_NAMES)).getRdns()) {
                NamingEnumeration<? extends Attribute> attributes = rdn.toAttributes().getAll();
                while (attributes.hasMore()) {
                    Attribute attribute = attributes.next();
                    String type = attribute.getID();
                    String name = KEYWORD_NAMES.getOrDefault(type.toUpperCase(java.util.Locale.ROOT), type);
                    Object value = attribute.get();
                    if (value instanceof String text) {
                        names.computeIfAbsent(name, k -> new ArrayList<>()).add(text);
                    }
                }
            }
        } catch (NamingException e) {
            throw new IllegalArgumentException("Unreadable distinguished name " + principal, e);
        }
        return names;
    }

    private static Map<String, List<String>> generalNames(Collection<List<?>> generalNames) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        if (generalNames == null) {
            return names;
        }
        for (List<?> generalName : generalNames) {
            String type = GENERAL_NAME_TYPES.get((Integer) generalName.get(0));
            if (type != null && generalName.get(1) instanceof String value) {
                names.computeIfAbsent(type, k -> new ArrayList<>()).add(value);
            }
        }
        return names;
    }
}
