package io.scoreline.serve.pool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.core.run.Window;
import io.scoreline.source.DocumentFields;
import io.scoreline.source.DocumentMapper;
import io.scoreline.source.DocumentSink;
import io.scoreline.source.es.EsClients;
import io.scoreline.source.es.EsSettings;
import io.scoreline.source.es.EsSource;
import io.scoreline.source.es.ReadSpec;
import io.scoreline.source.es.UserQuery;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a pool's documents from Elasticsearch with fetch's own reader (point-in-time + search_after, the update-time
 * mapping check) and mapper, keeping the newest version of each id.
 */
final class PoolReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PoolReader.class);
    private static final int PAGE_SIZE = 5000;

    private final PoolSpec spec;
    private final EsSource source;
    private final DocumentMapper mapper;

    PoolReader(PoolSpec spec, EsSettings connection) {
        this.spec = spec;
        var fields = new DocumentFields(spec.idField(), spec.updatedField(), spec.readFields());
        var read = new ReadSpec(spec.index(), UserQuery.parse(spec.query() == null ? null : spec.query().toString()), fields, PAGE_SIZE, 1);
        this.source = new EsSource(EsClients.open(connection, 3), read);
        this.mapper = new DocumentMapper(spec.idField(), spec.updatedField(), spec.readFields());
    }

    /** The newest version of every document updated inside the window. */
    Collection<Document> read(Window window) {
        Map<String, Document> newest = new ConcurrentHashMap<>();
        AtomicLong rejected = new AtomicLong();
        source.read(window, new DocumentSink() {
            @Override
            public void accept(ObjectNode document, String sourceId) {
                switch (mapper.map(document, sourceId)) {
                    case DocumentMapper.Mapped m when window.contains(m.document().updatedAt()) ->
                        newest.merge(m.document().id(), m.document(), (a, b) -> b.updatedAt().isAfter(a.updatedAt()) ? b : a);
                    case DocumentMapper.Mapped m -> { }
                    case DocumentMapper.Rejected r -> reject(null, r.reason());
                }
            }

            @Override
            public void reject(String raw, String reason) {
                if (rejected.incrementAndGet() <= 3) log.warn("pool '{}': a document left out: {}", spec.name(), reason);
            }
        });
        if (rejected.get() > 3) log.warn("pool '{}': {} documents left out in all", spec.name(), rejected.get());
        return newest.values();
    }

    @Override
    public void close() {
        source.close();
    }
}
