package io.openiot.web.security;

import io.openiot.web.problem.ApiError;
import io.openiot.web.problem.AwsErrorCodes;
import io.openiot.web.problem.AwsProblems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates requests signed with SigV4 (header or presigned query form); leaves every other request to the
 * bearer-token filter behind it. A refused signature is answered here with AWS's error type, so that the SDKs raise
 * the exception they would raise against AWS.
 */
final class SigV4AuthenticationFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SigV4AuthenticationFilter.class);

    private final SigV4Verifier verifier;
    private final long maxBodyBytes;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    SigV4AuthenticationFilter(SigV4Verifier verifier, long maxBodyBytes) {
        this.verifier = verifier;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!SigV4Request.isSigV4(request.getHeader("Authorization"), request.getQueryString())) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readBody(request);
        if (body == null) {
            AwsProblems.write(request, response, new ApiError(HttpStatus.CONTENT_TOO_LARGE,
                    AwsErrorCodes.REQUEST_ENTITY_TOO_LARGE, "The request body is larger than " + maxBodyBytes + " bytes"));
            return;
        }
        SigV4Request signed = new SigV4Request(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                name -> {
                    var values = request.getHeaders(name);
                    return values == null ? List.of() : Collections.list(values);
                }, body);
        SigningKey key;
        try {
            key = verifier.verify(signed);
        } catch (SigV4Exception e) {
            log.debug("SigV4 request refused: {}", e.getMessage());
            AwsProblems.write(request, response, new ApiError(HttpStatus.FORBIDDEN, e.errorType(), e.getMessage()));
            return;
        } catch (SigningKeyUnavailableException e) {
            log.warn("SigV4 request could not be verified: {}", e.getMessage());
            AwsProblems.write(request, response, new ApiError(HttpStatus.SERVICE_UNAVAILABLE,
                    AwsErrorCodes.SERVICE_UNAVAILABLE, "The credentials cannot be verified right now"));
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new SigV4Authentication(key.clientId(), key.accessKeyId(),
                key.scopes().stream().map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope)).toList()));
        contexts.setContext(context);
        try {
            chain.doFilter(new CachedBodyRequest(request, body), response);
        } finally {
            contexts.clearContext();
        }
    }

    /** The body, or {@code null} when it is larger than allowed. */
    private byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            return body.length > maxBodyBytes ? null : body;
        }
    }
}
