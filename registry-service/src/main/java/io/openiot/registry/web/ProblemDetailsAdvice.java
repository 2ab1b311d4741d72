package io.openiot.registry.web;

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
 * IoT control-plane error name where AWS defines one, so that clients written for AWS can branch on it. The same name
 * goes into the {@code x-amzn-ErrorType} header and the text into a {@code message} member, which is how AWS SDKs
 * pick the exception class and its message.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    static final String CODE = "code";
    static final String MESSAGE = "message";
    static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> apiException(ApiException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        return aws(e.status(), e.code(), e.getMessage());
    }

    /** Domain rules broken by a request (names, attribute limits, query syntax) are AWS's InvalidRequestException. */
    @ExceptionHandler(io.openiot.registry.domain.RegistryValidationException.class)
    ResponseEntity<ProblemDetail> invalid(io.openiot.registry.domain.RegistryValidationException e) {
        return aws(HttpStatus.BAD_REQUEST, "InvalidRequestException", e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> aws(HttpStatus status, String code, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setProperty(CODE, code);
        problem.setProperty(MESSAGE, message);
        return ResponseEntity.status(status).header(ERROR_TYPE_HEADER, code).body(problem);
    }

    /** Anything unforeseen: logged here, and the caller learns nothing about the internals. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("request failed", e);
        return aws(HttpStatus.INTERNAL_SERVER_ERROR, "InternalFailureException", "Internal failure");
    }

    /** Spring's own MVC errors (bad JSON, unknown path, wrong method...) get a code as well. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            String code = codeFor(status);
            problem.setProperty(CODE, code);
            problem.setProperty(MESSAGE, problem.getDetail());
            return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                    .header(ERROR_TYPE_HEADER, code).body(problem);
        }
        return response;
    }

    private static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 404 -> "ResourceNotFoundException";
            case 405 -> "MethodNotAllowedException";
            case 413 -> "RequestEntityTooLargeException";
            case 503 -> "ServiceUnavailableException";
            default -> status.is4xxClientError() ? "InvalidRequestException" : "InternalFailureException";
        };
    }
}
