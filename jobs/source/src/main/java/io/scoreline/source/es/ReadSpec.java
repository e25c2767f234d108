package io.scoreline.source.es;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.scoreline.core.run.Partition;
import io.scoreline.source.DocumentFields;

/**
 * What to read: the index, the user's query (null: everything), the fields, and how (page size, slices). A partition
 * of a run reads its share of the slices: slices {@code i*slices .. i*slices+slices-1} of {@code P*slices}.
 */
public record ReadSpec(String index, Query userQuery, DocumentFields fields, int pageSize, int slices, Partition part) {

    public ReadSpec(String index, Query userQuery, DocumentFields fields, int pageSize, int slices) {
        this(index, userQuery, fields, pageSize, slices, Partition.ONE);
    }

    public ReadSpec withPart(Partition part, int slicesPerPart) {
        return new ReadSpec(index, userQuery, fields, pageSize, slicesPerPart, part);
    }

    /** Slices of the whole point-in-time, across every partition. */
    int totalSlices() {
        return slices * part.count();
    }

    /** The point-in-time slice that this reader's {@code local} slice (0..slices-1) is. */
    int sliceId(int local) {
        return part.index() * slices + local;
    }
}
