package io.scoreline.source.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import io.scoreline.core.error.ExitCode;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** How failures the client reports outside Elasticsearch's answers are classified and worded. */
class FailureTest {
    @Test
    void anUnexpectedExceptionIsABugWhoseLineNamesNoJavaClass() {
        var line = Failure.of(new IllegalStateException("internal detail")).toJobException("search", "http://es:9200", 1, System.nanoTime());
        assertEquals(ExitCode.BUG, line.exitCode());
        assertEquals("Elasticsearch: cannot search at http://es:9200: unexpected failure; --verbose shows its details", line.getMessage());
        assertFalse(line.getMessage().contains("Exception"), line.getMessage());
    }

    @Test
    void aRequestAbandonedByAnInterruptIsNeitherABugNorRetried() {
        // how the low-level client reports an interrupted wait
        var failure = Failure.of(new RuntimeException("thread waiting for the response was interrupted", new InterruptedException()));
        assertEquals(ExitCode.SOURCE_UNAVAILABLE, failure.exitCode());
        assertFalse(failure.transient_());
        assertEquals("interrupted (stopping)", failure.summary());
    }

    @Test
    void aMissingIndexSaysWhereEachJobNamesIt() {
        var missing = new ElasticsearchException("search", ErrorResponse.of(r -> r.status(404)
            .error(e -> e.type("index_not_found_exception").reason("no such index [items]"))));
        var line = Failure.of(missing).toJobException("search", "http://es:9200", 1, System.nanoTime());
        assertEquals(ExitCode.USAGE, line.exitCode());
        assertEquals("Elasticsearch: cannot search at http://es:9200: HTTP 404 index_not_found_exception: no such index [items];"
            + " check the index name (fetch: --index; serve: the pool's \"index\" in --pools)", line.getMessage());
    }

    @Test
    void aTimeoutStaysATransientOutage() {
        var failure = Failure.of(new SocketTimeoutException("Read timed out"));
        assertEquals(ExitCode.SOURCE_UNAVAILABLE, failure.exitCode());
        assertEquals(true, failure.transient_());
    }
}
