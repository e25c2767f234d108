package io.scoreline.source.es;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.scoreline.source.DocumentFields;

/** What to read: the index, the user's query (null: everything), the fields, and how (page size, slices). */
public record ReadSpec(String index, Query userQuery, DocumentFields fields, int pageSize, int slices) {}
