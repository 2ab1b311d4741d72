package io.openiot.sink.item;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** A table of that name exists already. */
class TableInUseException extends ApiException {

    TableInUseException(String table) {
        super(HttpStatus.CONFLICT, "ResourceInUseException", "Table '" + table + "' already exists");
    }
}
