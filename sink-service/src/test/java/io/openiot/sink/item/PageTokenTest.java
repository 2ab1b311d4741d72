package io.openiot.sink.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PageTokenTest {

    @ParameterizedTest
    @CsvSource({"1714564800000, 1", "0, 0", "-1000, 42", "253402300799999, 9223372036854775807"})
    void aTokenDecodesToWhereItsPageEnded(long messageTime, long id) {
        String token = new PageToken(messageTime, id).encode();

        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(PageToken.decode(token)).isEqualTo(new PageToken(messageTime, id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "", "djE", "v1:1:2", "djI6MTox", "djE6eDox", "djE6MTot", "djE6MToyOjM"})
    void anythingElseIsRejectedNamingNextToken(String token) {
        assertThatThrownBy(() -> PageToken.decode(token))
                .isInstanceOfSatisfying(InvalidParameterException.class,
                        e -> assertThat(e.parameter()).isEqualTo("nextToken"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2:1:2", "v1:1", "v1:one:2", "v1:1:-2", "v1:1:2:3", "v1::2"})
    void tokensOfAnotherShapeAreRejected(String plain) {
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> PageToken.decode(token)).isInstanceOf(InvalidParameterException.class);
    }
}
