package io.openiot.sink.item;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** No item with the key in the path. */
class ItemNotFoundException extends ApiException {

    ItemNotFoundException(String table) {
        super(HttpStatus.NOT_FOUND, "ResourceNotFoundException", "No item with that key in table '" + table + "'");
    }
}
