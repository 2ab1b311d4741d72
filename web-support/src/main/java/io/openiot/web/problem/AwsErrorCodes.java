package io.openiot.web.problem;

import org.springframework.http.HttpStatusCode;

/** The AWS error names this platform answers with, and the one it gives each HTTP status Spring raises itself. */
public final class AwsErrorCodes {

    public static final String INVALID_REQUEST = "InvalidRequestException";
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    public static final String METHOD_NOT_ALLOWED = "MethodNotAllowedException";
    public static final String REQUEST_ENTITY_TOO_LARGE = "RequestEntityTooLargeException";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaTypeException";
    public static final String CONFLICT = "ConflictException";
    public static final String THROTTLING = "ThrottlingException";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailableException";
    public static final String INTERNAL_FAILURE = "InternalFailureException";
    public static final String UNAUTHORIZED = "UnauthorizedException";
    public static final String ACCESS_DENIED = "AccessDeniedException";
    public static final String INVALID_SIGNATURE = "InvalidSignatureException";
    public static final String UNRECOGNIZED_CLIENT = "UnrecognizedClientException";

    private AwsErrorCodes() {
    }

    /** The name for a status Spring MVC or Spring Security produced without a more specific cause. */
    public static String forStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 401 -> UNAUTHORIZED;
            case 403 -> ACCESS_DENIED;
            case 404 -> RESOURCE_NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 409 -> CONFLICT;
            case 413 -> REQUEST_ENTITY_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> THROTTLING;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status.is4xxClientError() ? INVALID_REQUEST : INTERNAL_FAILURE;
        };
    }
}
