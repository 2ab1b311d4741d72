package io.openiot.web.problem;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place every service turns failures into problem details ({@link AwsProblems}): its {@link ApiException}s,
 * what its {@link ApiExceptionTranslator}s recognise, Spring MVC's own errors (404, 405, 415, 400 on bad JSON, 413),
 * and anything else as a 500 that says nothing about the internals.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private final List<ApiExceptionTranslator> translators;

    public ProblemDetailsAdvice(List<ApiExceptionTranslator> translators) {
        this.translators = List.copyOf(translators);
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> apiException(ApiException e) {
        if (e.status().is5xxServerError()) {
            log.error("request failed", e);
        }
        return AwsProblems.response(new ApiError(e.status(), e.code(), e.getMessage(), e.properties()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return AwsProblems.response(new ApiError(HttpStatus.BAD_REQUEST, AwsErrorCodes.INVALID_REQUEST,
                "Parameter '" + e.getName() + "' has an invalid value", java.util.Map.of("parameter", e.getName())));
    }

    /** A service's own exceptions through its translators; anything unforeseen is logged and answered 500. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) throws Exception {
        if (e instanceof AccessDeniedException || e instanceof AuthenticationException) {
            throw e; // Spring Security's ExceptionTranslationFilter answers these with 401/403
        }
        for (ApiExceptionTranslator translator : translators) {
            var error = translator.translate(e);
            if (error.isPresent()) {
                return AwsProblems.response(error.get());
            }
        }
        log.error("request failed", e);
        return AwsProblems.response(new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, AwsErrorCodes.INTERNAL_FAILURE,
                "Internal failure"));
    }

    /** Spring MVC's own failures (unknown path, wrong method, bad JSON, missing parameter...) get the AWS members. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            String code = AwsErrorCodes.forStatus(status);
            if (status.is5xxServerError()) {
                log.error("request failed", e);
                problem.setDetail("Internal failure");
            }
            AwsProblems.decorate(problem, code);
            if (e instanceof MissingServletRequestParameterException missing) {
                problem.setProperty("parameter", missing.getParameterName());
            }
            return ResponseEntity.status(response.getStatusCode())
                    .headers(response.getHeaders())
                    .header(AwsProblems.ERROR_TYPE_HEADER, code)
                    .body(problem);
        }
        return response;
    }
}
