package io.openiot.registry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.AttributePayload;
import software.amazon.awssdk.services.iot.model.DescribeThingResponse;
import software.amazon.awssdk.services.iot.model.ListThingsResponse;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.ThingAttribute;
import software.amazon.awssdk.services.iot.model.ThingPrincipalType;
import software.amazon.awssdk.services.iot.model.VersionConflictException;

/** The control plane driven by the AWS SDK for Java v2, as an application written for AWS IoT Core would. */
class AwsSdkClientTest extends RegistryApiTestBase {

    IotClient iot;

    @BeforeEach
    void sdk() {
        iot = IotClient.builder()
                .endpointOverride(URI.create("http://localhost:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .httpClient(ApacheHttpClient.create())
                .build();
    }

    @AfterEach
    void close() {
        iot.close();
    }

    @Test
    void thingLifecycleThroughTheSdk() {
        var created = iot.createThing(b -> b.thingName(p + "sdk").attributePayload(AttributePayload.builder()
                .attributes(Map.of("floor", "1")).build()));
        assertThat(created.thingArn()).endsWith(":thing/" + p + "sdk");

        DescribeThingResponse described = iot.describeThing(b -> b.thingName(p + "sdk"));
        assertThat(described.thingId()).isEqualTo(created.thingId());
        assertThat(described.attributes()).containsEntry("floor", "1");
        assertThat(described.version()).isEqualTo(1L);

        iot.updateThing(b -> b.thingName(p + "sdk").expectedVersion(1L).attributePayload(AttributePayload.builder()
                .attributes(Map.of("room", "7")).merge(true).build()));
        assertThat(iot.describeThing(b -> b.thingName(p + "sdk")).attributes()).containsEntry("room", "7");

        assertThatThrownBy(() -> iot.updateThing(b -> b.thingName(p + "sdk").expectedVersion(1L)))
                .isInstanceOf(VersionConflictException.class)
                .satisfies(e -> assertThat(((VersionConflictException) e).statusCode()).isEqualTo(409));
        iot.deleteThing(b -> b.thingName(p + "sdk").expectedVersion(2L));
        assertThatThrownBy(() -> iot.describeThing(b -> b.thingName(p + "sdk")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining(p + "sdk");
    }

    @Test
    void listThingsPagesThroughTheSdk() {
        for (int i = 0; i < 5; i++) {
            String name = p + "page" + i;
            iot.createThing(b -> b.thingName(name).attributePayload(AttributePayload.builder()
                    .attributes(Map.of("batch", p)).build()));
        }
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            ListThingsResponse page = iot.listThings(b -> b.attributeName("batch").attributeValue(p).maxResults(2)
                    .nextToken(current));
            page.things().stream().map(ThingAttribute::thingName).forEach(names::add);
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly(p + "page0", p + "page1", p + "page2", p + "page3", p + "page4");
        assertThat(iot.listThingsPaginator(b -> b.attributeName("batch").attributeValue(p).maxResults(2)).things()
                .stream().map(ThingAttribute::thingName).toList()).hasSize(5);
    }

    @Test
    void typesGroupsPrincipalsAndSearchThroughTheSdk() {
        var type = iot.createThingType(b -> b.thingTypeName(p + "type")
                .thingTypeProperties(t -> t.thingTypeDescription("a type").searchableAttributes("floor")));
        assertThat(type.thingTypeArn()).endsWith(":thingtype/" + p + "type");
        iot.createThing(b -> b.thingName(p + "member").thingTypeName(p + "type")
                .attributePayload(a -> a.attributes(Map.of("floor", "4"))));
        iot.deprecateThingType(b -> b.thingTypeName(p + "type"));
        assertThat(iot.describeThingType(b -> b.thingTypeName(p + "type")).thingTypeMetadata().deprecated()).isTrue();

        var group = iot.createThingGroup(b -> b.thingGroupName(p + "group"));
        assertThat(group.thingGroupArn()).endsWith(":thinggroup/" + p + "group");
        iot.addThingToThingGroup(b -> b.thingGroupName(p + "group").thingName(p + "member"));
        assertThat(iot.listThingsInThingGroup(b -> b.thingGroupName(p + "group")).things())
                .containsExactly(p + "member");

        String cert = "arn:aws:iot:us-east-1:000000000000:cert/" + p + "cert";
        iot.attachThingPrincipal(b -> b.thingName(p + "member").principal(cert)
                .thingPrincipalType(ThingPrincipalType.EXCLUSIVE_THING));
        assertThat(iot.listThingPrincipals(b -> b.thingName(p + "member")).principals()).containsExactly(cert);
        assertThat(iot.listPrincipalThings(b -> b.principal(cert)).things()).containsExactly(p + "member");

        var found = iot.searchIndex(b -> b.indexName("AWS_Things")
                .queryString("thingGroupNames:" + p + "group AND attributes.floor:[3 TO 5]"));
        assertThat(found.things()).hasSize(1);
        assertThat(found.things().get(0).thingName()).isEqualTo(p + "member");
        assertThat(found.things().get(0).thingGroupNames()).containsExactly(p + "group");
        assertThat(found.things().get(0).attributes()).containsEntry("floor", "4");

        assertThatThrownBy(() -> iot.addThingToThingGroup(b -> b.thingGroupName(p + "nosuch").thingName(p + "member")))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
