package io.openiot.policylang;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The values of AWS IoT's policy variables and condition keys for one principal. Names are case-insensitive, as
 * IAM's; a thing attribute's name (in brackets) is taken as written. {@code null} means the variable cannot be
 * resolved.
 */
final class Variables {

    private static final String THING_ATTRIBUTES = "iot:connection.thing.attributes[";
    private static final String CERTIFICATE = "iot:certificate.";
    private static final int MAX_CERTIFICATE_VALUES = 5;
    private static final int MAX_CERTIFICATE_VALUE = 1024;

    private Variables() {
    }

    /** The value of a variable in a Resource or a condition value: one value, never a list. */
    static String value(PrincipalContext context, String name) {
        List<String> values = values(context, name, false);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The values of a condition key; {@code .List} keys of certificate fields give every value. */
    static List<String> values(PrincipalContext context, String name) {
        return values(context, name, true);
    }

    private static List<String> values(PrincipalContext context, String name, boolean allowList) {
        String key = name.toLowerCase(Locale.ROOT);
        switch (key) {
            case "iot:clientid":
                return one(context.clientId());
            case "aws:sourceip":
                return one(context.sourceIp());
            case "iot:domainname":
                return one(context.domainName());
            case "iot:connection.thing.thingname":
                return context.thingResolves() ? one(context.thing().name()) : null;
            case "iot:connection.thing.thingtypename":
                return context.thingResolves() ? one(context.thing().typeName()) : null;
            case "iot:connection.thing.isattached":
                return context.clientId() == null ? null : one(String.valueOf(context.thingResolves()));
            case "iot:certificateid":
            case "iot:certificate.fingerprint":
                return context.certificate() == null ? null : one(context.certificate().certificateId());
            default:
                break;
        }
        if (key.startsWith(THING_ATTRIBUTES) && key.endsWith("]")) {
            if (!context.thingResolves()) {
                return null;
            }
            String attribute = name.substring(THING_ATTRIBUTES.length(), name.length() - 1);
            return one(context.thing().attributes().get(attribute));
        }
        if (key.startsWith(CERTIFICATE) && context.certificate() != null) {
            return certificate(context.certificate(), key.substring(CERTIFICATE.length()), allowList);
        }
        return null;
    }

    private static List<String> certificate(PrincipalContext.CertificateInfo certificate, String field,
            boolean allowList) {
        switch (field) {
            case "serialnumber":
                return one(certificate.serialNumber());
            case "validity.notbefore":
                return certificate.notBefore() == null ? null : one(certificate.notBefore().toString());
            case "validity.notafter":
                return certificate.notAfter() == null ? null : one(certificate.notAfter().toString());
            default:
                break;
        }
        int dot = field.indexOf('.');
        if (dot < 0) {
            return null;
        }
        Map<String, List<String>> names = switch (field.substring(0, dot)) {
            case "subject" -> certificate.subject();
            case "issuer" -> certificate.issuer();
            case "subjectalternativename" -> certificate.subjectAlternativeNames();
            case "issueralternativename" -> certificate.issuerAlternativeNames();
            default -> null;
        };
        if (names == null) {
            return null;
        }
        String attribute = field.substring(dot + 1);
        if (attribute.endsWith(".list")) {
            if (!allowList) {
                return null;
            }
            List<String> values = limited(names.get(attribute.substring(0, attribute.length() - ".list".length())));
            return values == null ? null : values.stream().filter(java.util.Objects::nonNull).toList();
        }
        int bracket = attribute.indexOf('[');
        if (bracket >= 0 && attribute.endsWith("]")) {
            List<String> values = limited(names.get(attribute.substring(0, bracket)));
            int index;
            try {
                index = Integer.parseInt(attribute.substring(bracket + 1, attribute.length() - 1));
            } catch (NumberFormatException e) {
                return null;
            }
            return values == null || index < 1 || index > values.size() ? null : one(values.get(index - 1));
        }
        List<String> values = limited(names.get(attribute));
        return values == null || values.isEmpty() ? null : one(values.get(0));
    }

    /**
     * AWS's limits on certificate values: at most the first five values of a field; a value holding a wildcard
     * ({@code *}, {@code ?}) or longer than 1,024 characters is not substituted.
     */
    private static List<String> limited(List<String> values) {
        if (values == null) {
            return null;
        }
        List<String> first = values.size() > MAX_CERTIFICATE_VALUES ? values.subList(0, MAX_CERTIFICATE_VALUES)
                : values;
        List<String> usable = new java.util.ArrayList<>(first.size());
        for (String value : first) {
            usable.add(value.indexOf('*') >= 0 || value.indexOf('?') >= 0 || value.length() > MAX_CERTIFICATE_VALUE
                    ? null : value);
        }
        return usable;
    }

    private static List<String> one(String value) {
        return value == null ? null : List.of(value);
    }
}
