package io.openiot.rules.web;

import io.openiot.rules.action.InvalidActionException;
import io.openiot.rules.sql.SqlParseException;
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
 * Every error of this service as RFC 9457 problem details with a stable {@code code} property: the AWS IoT error name
 * where AWS defines one. An SQL error also carries {@code line} and {@code column}.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    static final String CODE = "code";

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> apiException(ApiException e) {
        return problem(e.status(), e.code(), e.getMessage());
    }

    @ExceptionHandler(SqlParseException.class)
    ResponseEntity<ProblemDetail> sqlParseException(SqlParseException e) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.BAD_REQUEST, "SqlParseException", e.getMessage());
        response.getBody().setProperty("line", e.line());
        response.getBody().setProperty("column", e.column());
        return response;
    }

    @ExceptionHandler(InvalidActionException.class)
    ResponseEntity<ProblemDetail> invalidAction(InvalidActionException e) {
        return problem(HttpStatus.BAD_REQUEST, "InvalidRequestException", e.getMessage());
    }

    /** Anything unforeseen: logged here, and the caller learns nothing about the internals. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("request failed", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "InternalFailureException", "Internal failure");
    }

    /** Spring's own MVC errors (unknown path, wrong method, bad parameter...) get a code as well. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            problem.setProperty(CODE, codeFor(status));
        }
        return response;
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty(CODE, code);
        return ResponseEntity.status(status).body(problem);
    }

    private static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 404 -> "ResourceNotFoundException";
            case 405 -> "MethodNotAllowedException";
            case 413 -> "RequestEntityTooLargeException";
            case 415 -> "UnsupportedMediaTypeException";
            case 503 -> "ServiceUnavailableException";
            default -> status.is4xxClientError() ? "InvalidRequestException" : "InternalFailureException";
        };
    }
}
