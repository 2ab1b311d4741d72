package io.openiot.rules.sql;

import java.util.Locale;

/** The {@code awsIotSqlVersion} of a rule: what the SQL may use and how some results print. */
public enum SqlVersion {
    V2015_10_08("2015-10-08"),
    V2016_03_23("2016-03-23"),
    BETA("beta");

    /** AWS's default when a rule names no version. */
    public static final SqlVersion DEFAULT = V2015_10_08;

    private final String text;

    SqlVersion(String text) {
        this.text = text;
    }

    /** The version named by {@code text}; null or blank is the default; anything else is refused. */
    public static SqlVersion of(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        for (SqlVersion version : values()) {
            if (version.text.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return version;
            }
        }
        throw new IllegalArgumentException("unknown awsIotSqlVersion '" + text + "'");
    }

    /** Whether the 2016-03-23 dialect (literals, nested queries, the newer functions) is available. */
    public boolean atLeast2016() {
        return this != V2015_10_08;
    }

    @Override
    public String toString() {
        return text;
    }
}
