package io.openiot.shadow.rest;

import io.openiot.shadow.document.ShadowRejection;
import io.openiot.shadow.web.ApiException;
import io.openiot.shadow.web.ProblemDetailsAdvice;
import org.springframework.http.HttpStatus;

/**
 * A shadow rejection as a REST error: AWS's status code, the data-plane error name the AWS SDK maps to its exception
 * ({@code ResourceNotFoundException}, {@code ConflictException}, {@code InvalidRequestException}...) and AWS's
 * message.
 */
final class ShadowApiException extends ApiException {

    private ShadowApiException(HttpStatus status, String message) {
        super(status, ProblemDetailsAdvice.codeFor(status), message);
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
