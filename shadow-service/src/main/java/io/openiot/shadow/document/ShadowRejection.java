package io.openiot.shadow.document;

/**
 * A request the shadow service refuses, with AWS's status code and AWS's exact message (Developer Guide, "Device
 * Shadow error messages"). Over MQTT it becomes the {@code .../rejected} document, over REST the status and body.
 */
public final class ShadowRejection extends RuntimeException {

    public static final String INVALID_JSON = "Invalid JSON";
    public static final String MISSING_STATE = "Missing required node: state";
    public static final String STATE_NOT_OBJECT = "State node must be an object";
    public static final String DESIRED_NOT_OBJECT = "Desired node must be an object";
    public static final String REPORTED_NOT_OBJECT = "Reported node must be an object";
    public static final String INVALID_VERSION = "Invalid version";
    public static final String INVALID_CLIENT_TOKEN = "Invalid clientToken";
    public static final String TOO_DEEP = "JSON contains too many levels of nesting; maximum is ";
    public static final String INVALID_STATE_NODE = "State contains an invalid node";
    public static final String VERSION_CONFLICT = "Version conflict";
    public static final String TOO_LARGE = "The payload exceeds the maximum size allowed";
    public static final String NOT_UTF8 = "Unsupported documented encoding; supported encoding is UTF-8";
    public static final String INTERNAL_FAILURE = "Internal service failure";

    private final int code;
    private final String clientToken;

    public ShadowRejection(int code, String message, String clientToken) {
        super(message, null, false, false);
        this.code = code;
        this.clientToken = clientToken;
    }

    public static ShadowRejection badRequest(String message, String clientToken) {
        return new ShadowRejection(400, message, clientToken);
    }

    /** AWS names the shadow in quotes: the thing for a classic shadow, the shadow's own name for a named one. */
    public static ShadowRejection notFound(ShadowName name, String clientToken) {
        return new ShadowRejection(404, "No shadow exists with name: '" + name.displayName() + "'", clientToken);
    }

    public static ShadowRejection versionConflict(String clientToken) {
        return new ShadowRejection(409, VERSION_CONFLICT, clientToken);
    }

    /** The HTTP-style status AWS uses: 400, 404, 409, 413, 415, 500. */
    public int code() {
        return code;
    }

    /** The request's client token when it could be read, else {@code null}. */
    public String clientToken() {
        return clientToken;
    }

    /** The same rejection, now carrying the client token found in the request. */
    ShadowRejection withClientToken(String token) {
        return token == null || clientToken != null ? this : new ShadowRejection(code, getMessage(), token);
    }
}
