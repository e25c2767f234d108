package io.scoreline.fetch.source.es;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.scoreline.fetch.source.DocumentFields;

/** What to read: the index, the user's query (null: everything), the fields, and how (page size, slices). */
record ReadSpec(String index, Query userQuery, DocumentFields fields, int pageSize, int slices) {}
