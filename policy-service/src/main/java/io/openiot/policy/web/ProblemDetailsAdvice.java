package io.openiot.policy.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of this service as RFC 9457 problem details with a stable {@code code} property. The code is the AWS
 * IoT control-plane error name where AWS defines one, so that clients written for AWS can branch on it.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    static final String CODE = "code";
    static final String AWS_ERROR_TYPE = "x-amzn-ErrorType";

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> apiException(ApiException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setProperty(CODE, e.code());
        // what AWS SDKs read to pick the exception type (e.g. UnrecognizedClientException)
        problem.setProperty("message", e.getMessage());
        return ResponseEntity.status(e.status()).header(AWS_ERROR_TYPE, e.code()).body(problem);
    }

    /** Anything unforeseen: logged here, and the caller learns nothing about the internals. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("request failed", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "Internal failure");
        problem.setProperty(CODE, "InternalFailureException");
        return ResponseEntity.internalServerError().body(problem);
    }

    /** Spring's own MVC errors (bad JSON, unknown path, wrong method...) get a code as well. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            problem.setProperty(CODE, codeFor(status));
        }
        return response;
    }

    private static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 401 -> "UnauthorizedException";
            case 404 -> "ResourceNotFoundException";
            case 405 -> "MethodNotAllowedException";
            case 413 -> "RequestEntityTooLargeException";
            case 503 -> "ServiceUnavailableException";
            default -> status.is4xxClientError() ? "InvalidRequestException" : "InternalFailureException";
        };
    }
}
