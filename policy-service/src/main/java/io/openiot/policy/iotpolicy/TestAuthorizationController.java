package io.openiot.policy.iotpolicy;

import io.openiot.policy.ArnProperties;
import io.openiot.policy.certificate.Certificates;
import io.openiot.policy.certificate.domain.Pki;
import io.openiot.policylang.AuthDecision;
import io.openiot.policylang.AuthorizationExplanation;
import io.openiot.policylang.PolicyDocument;
import io.openiot.policylang.PrincipalContext;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** AWS's TestAuthorization, evaluated with policy-language over the principal's policies. */
@RestController
@Tag(name = "Policies")
@SecurityRequirement(name = "bearer")
class TestAuthorizationController {

    private static final Map<String, String> ACTIONS = Map.of("PUBLISH", "iot:Publish", "SUBSCRIBE",
            "iot:Subscribe", "RECEIVE", "iot:Receive", "CONNECT", "iot:Connect");

    private final Policies policies;
    private final Certificates certificates;
    private final ArnProperties arns;

    TestAuthorizationController(Policies policies, Certificates certificates, ArnProperties arns) {
        this.policies = policies;
        this.certificates = certificates;
        this.arns = arns;
    }

    record AuthInfo(String actionType, List<String> resources) {
    }

    record TestRequest(String principal, String cognitoIdentityPoolId, List<AuthInfo> authInfos, String clientId,
            List<String> policyNamesToAdd, List<String> policyNamesToSkip) {
    }

    record PolicyRef(String policyName, String policyArn) {
    }

    record PolicyRefs(List<PolicyRef> policies) {
    }

    record Denied(PolicyRefs implicitDeny, PolicyRefs explicitDeny) {
    }

    record AuthResult(AuthInfo authInfo, PolicyRefs allowed, Denied denied, String authDecision,
            List<String> missingContextValues) {
    }

    record TestResponse(List<AuthResult> authResults) {
    }

    @PostMapping("/test-authorization")
    @Operation(summary = "TestAuthorization", description = "principal: a certificate ARN (or id). Policies: those "
            + "attached to it, minus policyNamesToSkip, plus policyNamesToAdd. actionType PUBLISH, SUBSCRIBE, "
            + "RECEIVE or CONNECT; resources are full ARNs.")
    TestResponse test(@RequestParam(name = "clientId", required = false) String clientIdParam,
            @RequestBody TestRequest request) {
        if (request.authInfos() == null || request.authInfos().isEmpty()) {
            throw PolicyException.invalid("authInfos is required");
        }
        String clientId = clientIdParam != null ? clientIdParam : request.clientId();
        PrincipalContext.Builder context = PrincipalContext.builder().region(arns.region())
                .accountId(arns.accountId()).clientId(clientId);
        Map<String, PolicyDocument> documents = new LinkedHashMap<>();
        if (request.principal() != null && !request.principal().isBlank()) {
            String certificateId = request.principal().substring(request.principal().lastIndexOf('/') + 1);
            Certificates.Certificate certificate = certificates.find(certificateId)
                    .orElseThrow(() -> PolicyException.notFound("The principal " + request.principal()));
            context.certificate(PrincipalContext.CertificateInfo.of(Pki.parseCertificate(certificate.pem())));
            Set<String> skip = request.policyNamesToSkip() == null ? Set.of() : Set.copyOf(request.policyNamesToSkip());
            for (Policies.EffectivePolicy p : policies.attachedTo(certificate.arn())) {
                if (!skip.contains(p.policyName())) {
                    documents.put(p.policyName(), PolicyDocument.parse(p.document()));
                }
            }
        }
        if (request.policyNamesToAdd() != null) {
            for (String name : request.policyNamesToAdd()) {
                Policies.EffectivePolicy p = policies.effective(name)
                        .orElseThrow(() -> PolicyException.notFound("The policy " + name));
                documents.put(name, PolicyDocument.parse(p.document()));
            }
        }
        PrincipalContext principal = context.build();
        List<AuthResult> results = new ArrayList<>();
        for (AuthInfo info : request.authInfos()) {
            String action = ACTIONS.get(info.actionType());
            if (action == null || info.resources() == null || info.resources().isEmpty()) {
                throw PolicyException.invalid("actionType must be PUBLISH, SUBSCRIBE, RECEIVE or CONNECT, with "
                        + "resources");
            }
            results.add(evaluate(info, action, documents, principal));
        }
        return new TestResponse(results);
    }

    /** Every resource must be allowed; an explicit deny of any of them decides. */
    private AuthResult evaluate(AuthInfo info, String action, Map<String, PolicyDocument> documents,
            PrincipalContext principal) {
        Set<String> allowing = new LinkedHashSet<>();
        Set<String> denying = new LinkedHashSet<>();
        Set<String> silent = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        AuthDecision decision = AuthDecision.ALLOWED;
        for (String resource : info.resources()) {
            AuthorizationExplanation e = AuthorizationExplanation.explain(documents, principal, action, resource);
            allowing.addAll(e.allowingPolicies());
            denying.addAll(e.denyingPolicies());
            silent.addAll(e.otherPolicies());
            missing.addAll(e.missingContextValues());
            if (e.decision() == AuthDecision.EXPLICIT_DENY) {
                decision = AuthDecision.EXPLICIT_DENY;
            } else if (e.decision() == AuthDecision.IMPLICIT_DENY && decision == AuthDecision.ALLOWED) {
                decision = AuthDecision.IMPLICIT_DENY;
            }
        }
        return new AuthResult(info, refs(allowing), new Denied(refs(silent), refs(denying)), decision.name(),
                List.copyOf(missing));
    }

    private PolicyRefs refs(Set<String> names) {
        return new PolicyRefs(names.stream().map(n -> new PolicyRef(n, policies.arn(n))).toList());
    }
}
