package io.openiot.sink.item;

import io.openiot.web.problem.ApiException;
import org.springframework.http.HttpStatus;

/** The table named in the path has never been written to. */
class TableNotFoundException extends ApiException {

    TableNotFoundException(String table) {
        super(HttpStatus.NOT_FOUND, "ResourceNotFoundException", "Table '" + table + "' does not exist");
    }
}
