package io.openiot.registry.principal;

import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** AWS IoT's thing-principal calls; the principal travels in the {@code x-amzn-principal} header as in AWS. */
@RestController
class PrincipalController {

    static final String PRINCIPAL_HEADER = "x-amzn-principal";

    record Attach(String thingPrincipalType) {
    }

    private final PrincipalService principals;

    PrincipalController(PrincipalService principals) {
        this.principals = principals;
    }

    @PutMapping("/things/{thingName}/principals")
    Map<String, Object> attachThingPrincipal(@PathVariable String thingName,
                                             @RequestHeader(PRINCIPAL_HEADER) String principal,
                                             @RequestParam(required = false) String thingPrincipalType,
                                             @RequestBody(required = false) Attach body) {
        String type = thingPrincipalType != null ? thingPrincipalType : body == null ? null : body.thingPrincipalType();
        principals.attach(thingName, principal, type);
        return Map.of();
    }

    @DeleteMapping("/things/{thingName}/principals")
    Map<String, Object> detachThingPrincipal(@PathVariable String thingName,
                                             @RequestHeader(PRINCIPAL_HEADER) String principal) {
        principals.detach(thingName, principal);
        return Map.of();
    }

    @GetMapping("/things/{thingName}/principals")
    Map<String, Object> listThingPrincipals(@PathVariable String thingName,
                                            @RequestParam(required = false) Integer maxResults,
                                            @RequestParam(required = false) String nextToken) {
        return principals.principalsOf(thingName, maxResults, nextToken);
    }

    @GetMapping("/principals/things")
    Map<String, Object> listPrincipalThings(@RequestHeader(PRINCIPAL_HEADER) String principal,
                                            @RequestParam(required = false) Integer maxResults,
                                            @RequestParam(required = false) String nextToken) {
        return principals.thingsOf(principal, maxResults, nextToken);
    }
}
