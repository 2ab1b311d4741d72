package io.openiot.gateway.http;

import io.openiot.gateway.auth.ConnectAuthorizer;
import io.openiot.gateway.auth.ConnectDecision;
import io.openiot.web.problem.ApiError;
import io.openiot.web.problem.AwsErrorCodes;
import io.openiot.web.problem.AwsProblems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The only way in on the HTTPS publish port: {@code POST /topics/{topic}} by a client certificate that the platform
 * knows as ACTIVE (with an ACTIVE CA), the same look-up as an MQTT TLS connection. Its policies, compiled here, go
 * to the controller, which checks {@code iot:Publish} on the topic. TLS has already refused a connection without a
 * certificate or with one no trusted CA signed.
 */
final class CertificateAuthenticationFilter extends OncePerRequestFilter {

    private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final ConnectAuthorizer authorizer;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    CertificateAuthenticationFilter(ConnectAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith("/topics/")) {
            AwsProblems.write(request, response, new ApiError(HttpStatus.NOT_FOUND, AwsErrorCodes.RESOURCE_NOT_FOUND,
                    "Only POST /topics/{topic} is served on this port", Map.of()));
            return;
        }
        X509Certificate[] certificates = (X509Certificate[]) request.getAttribute(CERTIFICATES);
        if (certificates == null || certificates.length == 0) {
            unauthorized(request, response);
            return;
        }
        ConnectDecision decision = authorizer.authorizeHttps(certificates[0], request.getRemoteAddr());
        if (decision.returnCode() == ConnectDecision.SERVER_UNAVAILABLE) {
            AwsProblems.write(request, response, new ApiError(HttpStatus.SERVICE_UNAVAILABLE,
                    AwsErrorCodes.SERVICE_UNAVAILABLE, "The certificate could not be looked up; try again", Map.of()));
            return;
        }
        if (!decision.accepted()) {
            unauthorized(request, response);
            return;
        }
        request.setAttribute(DevicePrincipal.ATTRIBUTE,
                new DevicePrincipal(decision.principal(), decision.policies()));
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new PreAuthenticatedAuthenticationToken(decision.principal(), certificates[0],
                AuthorityUtils.NO_AUTHORITIES));
        contexts.setContext(context);
        chain.doFilter(request, response);
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // the same answer for an unknown and an inactive or revoked certificate: nothing to learn from it
        AwsProblems.write(request, response, new ApiError(HttpStatus.UNAUTHORIZED, AwsErrorCodes.UNAUTHORIZED,
                "The client certificate is not an ACTIVE certificate of the platform", Map.of()));
    }
}
