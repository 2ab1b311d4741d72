package io.openiot.shadow.rest;

import io.openiot.shadow.document.ShadowRejection;
import io.openiot.web.problem.ApiException;
import io.openiot.web.problem.AwsErrorCodes;
import org.springframework.http.HttpStatus;

/**
 * A shadow rejection as a REST error: AWS's status code, the data-plane error name the AWS SDK maps to its exception
 * ({@code ResourceNotFoundException}, {@code ConflictException}, {@code InvalidRequestException}...) and AWS's
 * message.
 */
final class ShadowApiException extends ApiException {

    private ShadowApiException(HttpStatus status, String message) {
        super(status, codeFor(status), message);
    }

    /** AWS's data plane names a 415 for shadows UnsupportedDocumentEncodingException; the rest as everywhere. */
    private static String codeFor(HttpStatus status) {
        return status == HttpStatus.UNSUPPORTED_MEDIA_TYPE
                ? "UnsupportedDocumentEncodingException" : AwsErrorCodes.forStatus(status);
    }

    static ShadowApiException of(ShadowRejection rejection) {
        HttpStatus status = HttpStatus.resolve(rejection.code());
        return new ShadowApiException(status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status,
                rejection.getMessage());
    }

    static ShadowApiException invalid(String message) {
        return new ShadowApiException(HttpStatus.BAD_REQUEST, message);
    }
}
