package io.scoreline.source.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import io.scoreline.core.error.ExitCode;
import java.io.IOException;
import java.net.ConnectException;
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

    @Test
    void aRefusedConnectionIsSaidInTheUsersWordsNotTheClientsClass() {
        // the HTTP client's own subclass of ConnectException, as fetch got it from a port nobody listens on
        class HttpHostConnectException extends ConnectException {
            HttpHostConnectException() {
                super("Connect to http://127.0.0.1:9 [/127.0.0.1] failed: Connection refused");
            }
        }
        var line = Failure.of(new HttpHostConnectException()).toJobException("check the mapping of 'updated_at' in 'items'",
            "http://127.0.0.1:9", 1, System.nanoTime());
        assertEquals(ExitCode.SOURCE_UNAVAILABLE, line.exitCode());
        assertEquals("Elasticsearch unavailable: cannot check the mapping of 'updated_at' in 'items' at http://127.0.0.1:9:"
            + " connection refused", line.getMessage());
    }

    @Test
    void anOtherwiseUnnamedCutKeepsTheDeepestMessageWithoutItsClass() {
        var failure = Failure.of(new IOException("request failed", new IOException("Connection reset by peer")));
        assertEquals(true, failure.transient_());
        assertEquals("Connection reset by peer", failure.summary());
    }

    @Test
    void httpsToAPlainHttpServerIsAConfigurationErrorNotAnOutage() {
        var line = Failure.of(new IOException("wrapped", new javax.net.ssl.SSLException("Unrecognized SSL message, plaintext connection?")))
            .toJobException("count", "https://127.0.0.1:9200", 1, System.nanoTime());
        assertEquals(ExitCode.USAGE, line.exitCode(), "no retry turns plain HTTP into TLS");
        assertEquals("Elasticsearch: cannot count at https://127.0.0.1:9200: the server answered in plain HTTP, not TLS; use http://"
            + " in --es-url", line.getMessage());
    }
}
