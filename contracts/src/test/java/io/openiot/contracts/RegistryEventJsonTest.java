package io.openiot.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RegistryEventJsonTest {

    private static final String SAMPLE = """
            {"eventId":"7d3c3f0e-58a1-4c39-9a51-0b1f3f1f8a10","type":"ThingUpdated","timestamp":1700000000000,\
            "key":"lamp-1","thing":{"thingName":"lamp-1","thingId":"2b0f0ad5-8f7a-4c7e-93b2-5f3c1b7f0c11",\
            "thingArn":"arn:aws:iot:us-east-1:000000000000:thing/lamp-1","thingTypeName":"lamp",\
            "attributes":{"floor":"2"},"version":2,"thingGroupNames":["floor-2"],\
            "principals":["arn:aws:iot:us-east-1:000000000000:cert/abc"]},\
            "thingType":null,"thingGroup":null,"principal":null}""";

    private final JsonMapper mapper = JsonMapper.builder().build();

    @Test
    void readsTheFixedSampleAndWritesItBackUnchanged() {
        RegistryEvent event = mapper.readValue(SAMPLE, RegistryEvent.class);

        assertThat(event.type()).isEqualTo(RegistryEvent.THING_UPDATED);
        assertThat(event.key()).isEqualTo("lamp-1");
        assertThat(event.thing().attributes()).containsEntry("floor", "2");
        assertThat(event.thing().version()).isEqualTo(2);
        assertThat(event.thing().thingGroupNames()).containsExactly("floor-2");
        assertThat(mapper.readTree(mapper.writeValueAsString(event))).isEqualTo(mapper.readTree(SAMPLE));
    }
}
