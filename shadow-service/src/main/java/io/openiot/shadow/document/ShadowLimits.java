package io.openiot.shadow.document;

/**
 * The document limits AWS documents: 8 KB of state (desired and reported, metadata not counted), nesting of 6 levels
 * inside a section, a client token of 64 bytes.
 *
 * @param maxStateBytes       UTF-8 size of {@code {"desired":…,"reported":…}} as stored, and of a request's state
 * @param maxDepth            levels of objects and arrays inside {@code desired} or {@code reported}; {@code
 *                            {"desired":{"a":1}}} has one
 * @param maxClientTokenBytes UTF-8 size of {@code clientToken}
 */
public record ShadowLimits(int maxStateBytes, int maxDepth, int maxClientTokenBytes) {

    public static final ShadowLimits AWS = new ShadowLimits(8192, 6, 64);

    public ShadowLimits {
        if (maxStateBytes < 1 || maxDepth < 1 || maxClientTokenBytes < 1) {
            throw new IllegalArgumentException("shadow limits must be positive");
        }
    }
}
