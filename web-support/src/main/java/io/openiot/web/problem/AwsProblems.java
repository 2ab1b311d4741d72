package io.openiot.web.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one shape of every error: RFC 9457 problem details plus the members AWS SDKs read — {@code message},
 * {@code code} and {@code __type} — and the {@code x-amzn-ErrorType} header, which the SDKs check first. Used by the
 * MVC advice and by the filters that answer before MVC (authentication, body size).
 */
public final class AwsProblems {

    public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
    public static final String CODE = "code";
    public static final String MESSAGE = "message";
    public static final String TYPE = "__type";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AwsProblems() {
    }

    /** Adds the AWS members to a problem Spring (or a handler) has already built. */
    public static ProblemDetail decorate(ProblemDetail problem, String code) {
        problem.setProperty(CODE, code);
        problem.setProperty(MESSAGE, problem.getDetail() != null ? problem.getDetail() : problem.getTitle());
        problem.setProperty(TYPE, code);
        return problem;
    }

    public static ProblemDetail problem(ApiError error) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(error.status(), error.message());
        decorate(problem, error.code());
        error.properties().forEach(problem::setProperty);
        return problem;
    }

    public static ResponseEntity<ProblemDetail> response(ApiError error) {
        return ResponseEntity.status(error.status())
                .header(ERROR_TYPE_HEADER, error.code())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(error));
    }

    /** Writes the problem straight to the servlet response, for code that runs before Spring MVC. */
    public static void write(HttpServletRequest request, HttpServletResponse response, ApiError error)
            throws IOException {
        ProblemDetail problem = problem(error);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType() == null ? "about:blank" : problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", request.getRequestURI());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        response.setStatus(error.status().value());
        response.setHeader(ERROR_TYPE_HEADER, error.code());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
        response.flushBuffer();
    }
}
