package io.openiot.sink.item;

import java.util.List;

/** All sink tables, by name. */
record TableList(List<TableDescription> tables) {
}
