package io.scoreline.core.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One line of runs/&lt;run&gt;/input.ndjson.gz: a document's id, when it last changed, and its feature fields. */
public record Document(String id, Instant updatedAt, ObjectNode features) {}
