package io.openiot.shadow.web;

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
 * Every REST error of this service as RFC 9457 problem details with a stable {@code code}: the AWS IoT data-plane
 * error name. MQTT rejections ({@code .../rejected} with AWS's {@code {"code":400,"message":...}}) are not HTTP
 * responses and do not pass through here.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    static final String CODE = "code";

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> apiException(ApiException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setProperty(CODE, e.code());
        return ResponseEntity.status(e.status()).body(problem);
    }

    /** Anything unforeseen: logged here; the caller gets AWS's "Internal service failure" and nothing more. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("request failed", e);
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "Internal service failure");
        problem.setProperty(CODE, "InternalFailureException");
        return ResponseEntity.internalServerError().body(problem);
    }

    /** Spring's own MVC errors (unknown path, wrong method, oversized or non-UTF-8 body...) get a code as well. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            problem.setProperty(CODE, codeFor(status));
        }
        return response;
    }

    /** The status codes the shadow REST API documents, with the names AWS gives them. */
    private static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 401 -> "UnauthorizedException";
            case 404 -> "ResourceNotFoundException";
            case 405 -> "MethodNotAllowedException";
            case 409 -> "ConflictException";
            case 413 -> "RequestEntityTooLargeException";
            case 415 -> "UnsupportedDocumentEncodingException";
            case 429 -> "ThrottlingException";
            case 503 -> "ServiceUnavailableException";
            default -> status.is4xxClientError() ? "InvalidRequestException" : "InternalFailureException";
        };
    }
}
