package io.openiot.sink.table;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.Locale;

/**
 * The key of a table: partition key name and type, optional sort key name and type. A table without a partition key
 * name (created by a record of the old contract) is a time series: every record appends an item.
 */
public record KeySchema(String partitionKeyName, KeyType partitionKeyType, String sortKeyName, KeyType sortKeyType) {

    /** Key attribute types, as DynamoDB names them. */
    public enum KeyType {
        S, N, B;

        /** {@code S}/{@code STRING}, {@code N}/{@code NUMBER}, {@code B}/{@code BINARY} (the IoT action's names). */
        public static KeyType parse(String text) {
            if (text == null) {
                return S;
            }
            return switch (text.toUpperCase(Locale.ROOT)) {
                case "S", "STRING" -> S;
                case "N", "NUMBER" -> N;
                case "B", "BINARY" -> B;
                default -> throw new IllegalArgumentException("key type must be S, N or B, not '" + text + "'");
            };
        }

        /**
         * The canonical text of a key value of this type, so that equal keys are equal strings (1.50 and 1.5 are one
         * number, as in DynamoDB), or an exception saying why the value is not of this type.
         */
        public String canonical(String value) {
            return switch (this) {
                case S -> value;
                case N -> {
                    try {
                        BigDecimal number = new BigDecimal(value);
                        yield number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not a number");
                    }
                }
                case B -> {
                    try {
                        yield Base64.getEncoder().encodeToString(Base64.getDecoder().decode(value));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("not base64");
                    }
                }
            };
        }
    }

    public static final KeySchema TIME_SERIES = new KeySchema(null, null, null, null);

    public KeySchema {
        if (partitionKeyName != null && partitionKeyType == null) {
            partitionKeyType = KeyType.S;
        }
        if (sortKeyName != null && sortKeyType == null) {
            sortKeyType = KeyType.S;
        }
    }

    /** Whether items are identified by their key; otherwise the table is a time series of appended items. */
    public boolean keyed() {
        return partitionKeyName != null;
    }

    public boolean hasSortKey() {
        return sortKeyName != null;
    }
}
