package io.openiot.policylang;

import java.util.List;

/**
 * An AWS IoT Core policy document, parsed and validated, immutable. Parse it once when the policy (version) is
 * stored or loaded; {@link CompiledPolicies#compile} turns the documents of a principal into its decisions.
 */
public final class PolicyDocument {

    /** The policy language version with policy variables. */
    public static final String VERSION_2012_10_17 = "2012-10-17";
    /** The older version: no policy variables, {@code ${...}} is plain text. Also what a missing Version means. */
    public static final String VERSION_2008_10_17 = "2008-10-17";
    /** AWS's limit on a policy document, counted without white space. */
    public static final int MAX_CHARACTERS_WITHOUT_WHITESPACE = 2048;

    private final String version;
    private final String id;
    private final List<Statement> statements;

    PolicyDocument(String version, String id, List<Statement> statements) {
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
    }

    /**
     * Parses and validates a policy document.
     *
     * @throws MalformedPolicyException with the reason when AWS IoT Core would refuse the document
     */
    public static PolicyDocument parse(String json) {
        return PolicyParser.parse(json);
    }

    public String version() {
        return version;
    }

    /** The optional {@code Id}, or {@code null}. */
    public String id() {
        return id;
    }

    public List<Statement> statements() {
        return statements;
    }

    @Override
    public String toString() {
        return "PolicyDocument[" + version + ", " + statements + "]";
    }
}
