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
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    static final String CODE = "code";
    /** AWS's own member for the error text, which the AWS SDKs read; the same text as {@code detail}. */
    static final String MESSAGE = "message";
    /** The header the AWS SDKs read the error name from (restJson protocol). */
    static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> apiException(ApiException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setProperty(CODE, e.code());
        problem.setProperty(MESSAGE, e.getMessage());
        return ResponseEntity.status(e.status()).header(ERROR_TYPE_HEADER, e.code()).body(problem);
    }

    /** Anything unforeseen: logged here; the caller gets AWS's "Internal service failure" and nothing more. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("request failed", e);
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "Internal service failure");
        problem.setProperty(CODE, "InternalFailureException");
        problem.setProperty(MESSAGE, "Internal service failure");
        return ResponseEntity.internalServerError().header(ERROR_TYPE_HEADER, "InternalFailureException")
                .body(problem);
    }

    /** Spring's own MVC errors (unknown path, wrong method, oversized or non-UTF-8 body...) get a code as well. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            problem.setProperty(CODE, codeFor(status));
            problem.setProperty(MESSAGE, problem.getDetail());
            HttpHeaders withType = new HttpHeaders();
            withType.addAll(response.getHeaders());
            withType.set(ERROR_TYPE_HEADER, codeFor(status));
            return new ResponseEntity<>(problem, withType, response.getStatusCode());
        }
        return response;
    }

    /** The status codes the shadow REST API documents, with the names AWS gives them. */
    public static String codeFor(HttpStatusCode status) {
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
