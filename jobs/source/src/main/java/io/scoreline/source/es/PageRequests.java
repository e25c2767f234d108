package io.scoreline.source.es;

import co.elastic.clients.elasticsearch._types.FieldSortNumericType;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import io.scoreline.core.run.Window;
import java.util.ArrayList;
import java.util.List;

/**
 * The search requests of a point-in-time read: the window pushed down as a range on the update time (after exclusive,
 * upTo inclusive, as {@link Window#contains}), the user's query as a filter, and a stable sort (update time, then
 * {@code _shard_doc}) for search_after. The code above the source re-checks the window, so this only has to return
 * at least the window; it never does deep from/size paging.
 */
final class PageRequests {
    static final String KEEP_ALIVE = "5m";
    /**
     * A point-in-time that the partitions of a run share lives longer: the partitions may start one after another
     * (workers busy) and a retried one rereads its slices from it. Each page renews it; it ends by itself this long
     * after the last page of any partition (no job knows which partition is the last to close it).
     */
    static final String SHARED_KEEP_ALIVE = "30m";

    private final ReadSpec spec;
    private final Query query;
    private final List<SortOptions> sort;

    PageRequests(ReadSpec spec, UpdateTime time, Window window) {
        this.spec = spec;
        this.query = query(spec, time, window);
        this.sort = sort(spec.fields().updatedField(), time);
    }

    Query query() {
        return query;
    }

    List<SortOptions> sort() {
        return sort;
    }

    static String keepAlive(ReadSpec spec) {
        return spec.part().partitioned() ? SHARED_KEEP_ALIVE : KEEP_ALIVE;
    }

    /** The page after {@code after} (null: the first page) of one slice (0..slices-1 of this reader). */
    SearchRequest page(String pitId, int slice, List<FieldValue> after) {
        return SearchRequest.of(s -> {
            s.pit(p -> p.id(pitId).keepAlive(k -> k.time(keepAlive(spec))))
                .query(query)
                .sort(sort)
                .size(spec.pageSize())
                .trackTotalHits(t -> t.enabled(false))
                .allowPartialSearchResults(false);  // a missing shard must fail the read, never shrink it
            List<String> fields = spec.fields().toRequest();
            if (!fields.isEmpty()) s.source(src -> src.filter(f -> f.includes(fields)));
            if (spec.totalSlices() > 1) s.slice(sl -> sl.id(Integer.toString(spec.sliceId(slice))).max(spec.totalSlices()));
            if (after != null) s.searchAfter(after);
            return s;
        });
    }

    private static Query query(ReadSpec spec, UpdateTime time, Window window) {
        String field = spec.fields().updatedField();
        Query range = Query.of(q -> q.range(r -> r.untyped(u -> {
            u.field(field).lte(time.bound(window.upTo()));
            if (window.after() != null) u.gt(time.bound(window.after()));
            if (time.format() != null) u.format(time.format());
            return u;
        })));
        // With no lower bound (full mode, first run) documents without an update time come back too, so that fetch
        // rejects them visibly, as the file source does, instead of leaving them out silently.
        Query inWindow = window.after() != null ? range
            : Query.of(q -> q.bool(b -> b.should(range).should(s -> s.bool(n -> n.mustNot(m -> m.exists(e -> e.field(field)))))
                .minimumShouldMatch("1")));
        List<Query> filters = new ArrayList<>(List.of(inWindow));
        if (spec.userQuery() != null) filters.add(spec.userQuery());
        return Query.of(q -> q.bool(b -> b.filter(filters)));
    }

    private static List<SortOptions> sort(String field, UpdateTime time) {
        SortOptions byTime = SortOptions.of(s -> s.field(f -> {
            f.field(field).order(SortOrder.Asc);
            if (time == UpdateTime.DATE_NANOS) f.numericType(FieldSortNumericType.DateNanos);  // date and date_nanos indices mixed
            return f;
        }));
        SortOptions tiebreak = SortOptions.of(s -> s.field(f -> f.field("_shard_doc").order(SortOrder.Asc)));
        return List.of(byTime, tiebreak);
    }
}
