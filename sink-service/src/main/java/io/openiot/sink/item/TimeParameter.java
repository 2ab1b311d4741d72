package io.openiot.sink.item;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;

/** Reads {@code from} / {@code to}: an ISO-8601 instant ({@code 2024-05-01T12:00:00Z}, or with an offset) or epoch milliseconds. */
final class TimeParameter {

    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d{1,18}");
    private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999Z");

    private TimeParameter() {
    }

    /** @return the instant, or {@code null} when the parameter is absent or blank */
    static Instant parse(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        // an unencoded '+' of an offset arrives as a space
        String text = value.trim().replace(' ', '+');
        Instant instant;
        try {
            if (EPOCH_MILLIS.matcher(text).matches()) {
                instant = Instant.ofEpochMilli(Long.parseLong(text));
            } else if (text.endsWith("Z") || text.endsWith("z")) {
                instant = Instant.parse(text.toUpperCase());
            } else {
                instant = OffsetDateTime.parse(text).toInstant();
            }
        } catch (DateTimeException | NumberFormatException e) {
            throw new InvalidParameterException(parameter,
                    "must be an ISO-8601 instant (2024-05-01T12:00:00Z) or epoch milliseconds");
        }
        if (instant.isBefore(MIN) || instant.isAfter(MAX)) {
            throw new InvalidParameterException(parameter, "is out of range (years 0000 to 9999)");
        }
        return instant;
    }
}
