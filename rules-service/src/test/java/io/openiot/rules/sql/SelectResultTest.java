package io.openiot.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SelectResultTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aJsonTreeBuiltOutsideSqlSerialisesToItsBytes() {
        // an error action's payload is built as a tree, with no SQL value behind it
        SelectResult result = SelectResult.ofJsonTree(JSON.readTree("{\"ruleName\":\"r\",\"failures\":[]}"));

        assertThat(result.isJson()).isTrue();
        assertThat(JSON.readTree(new String(result.bytes(), StandardCharsets.UTF_8)))
                .isEqualTo(JSON.readTree("{\"ruleName\":\"r\",\"failures\":[]}"));
    }
}
