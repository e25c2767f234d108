package io.scoreline.source.es;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import io.scoreline.core.error.Causes;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;

/**
 * A failed request, classified for the exit codes: transient failures (overload, a node going away, timeouts) are
 * retried and end as exit 3; what the user must fix (index, query, mapping, credentials, TLS trust) is exit 2 at once.
 */
record Failure(boolean transient_, ExitCode exitCode, String summary, String hint, Exception cause) {
    private static final String NOT_JSON = "Expecting JSON data but response content-type is:";
    private static final Set<Integer> TRANSIENT_STATUS = Set.of(408, 429);  // and every 5xx: a search is safe to repeat

    static Failure of(Exception e) {
        if (e instanceof JobException job) return new Failure(false, job.exitCode(), job.getMessage(), "", job);
        if (e instanceof ElasticsearchException es) return ofStatus(es.status(), describe(es.error()), es);
        if (e instanceof TransportException te) return ofTransport(te);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ResponseException answer) {  // an error page without Elasticsearch's JSON, e.g. a proxy's
                int status = answer.getResponse().getStatusCode();
                return ofStatus(status, EnglishReasonPhraseCatalog.INSTANCE.getReason(status, Locale.ROOT), e);
            }
            if (t instanceof SSLException plain && String.valueOf(plain.getMessage()).contains("plaintext connection")) {
                return new Failure(false, ExitCode.USAGE, "the server answered in plain HTTP, not TLS", "; use http:// in --es-url", e);
            }
            if (t instanceof SSLHandshakeException tls) {
                return new Failure(false, ExitCode.USAGE, "TLS handshake failed: " + oneLine(tls.getMessage()),
                    "; check --es-ca-cert or --es-ca-fingerprint (a public CA needs neither)", e);
            }
            if (t instanceof UnknownHostException) return new Failure(true, ExitCode.SOURCE_UNAVAILABLE, "unknown host " + t.getMessage(), "", e);
        }
        if (interrupted(e)) return new Failure(false, ExitCode.SOURCE_UNAVAILABLE, "interrupted (stopping)", "", e);
        if (e instanceof IOException io) return new Failure(true, ExitCode.SOURCE_UNAVAILABLE, cause(io), "", e);
        // the exception's own text is the code's (class names, internals), not the user's: --verbose shows it
        return new Failure(false, ExitCode.BUG, "unexpected failure", "; --verbose shows its details", e);
    }

    /** A request abandoned because its thread was interrupted (a slice stopping after another failed, a shutdown). */
    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) return true;
        }
        return false;
    }

    /** The client's own words for an answer that is not Elasticsearch's JSON are its internals: say what it means. */
    private static Failure ofTransport(TransportException te) {
        String said = oneLine(te.getMessage());
        int type = said.indexOf(NOT_JSON);
        int status = te.statusCode();
        if (type < 0 || TRANSIENT_STATUS.contains(status) || status >= 500) return ofStatus(status, said, te);
        return new Failure(false, ExitCode.USAGE, "HTTP " + status + ", not an answer from Elasticsearch (content-type "
            + said.substring(type + NOT_JSON.length()).strip() + ")", "; does --es-url point at Elasticsearch?", te);
    }

    private static Failure ofStatus(int status, String summary, Exception e) {
        String said = "HTTP " + status + " " + summary;
        if (summary.startsWith("search_context_missing_exception")) {  // whatever the status: repeating cannot bring it back
            return new Failure(false, ExitCode.SOURCE_UNAVAILABLE, said, "; the point-in-time expired: rerun the fetch", e);
        }
        if (TRANSIENT_STATUS.contains(status) || status >= 500) return new Failure(true, ExitCode.SOURCE_UNAVAILABLE, said, "", e);
        if (status == 401) return new Failure(false, ExitCode.USAGE, said, "; check the API key, user/password or token", e);
        if (status == 403) {
            return new Failure(false, ExitCode.USAGE, said, "; the credentials need the 'read' privilege on the index", e);
        }
        if (summary.startsWith("index_not_found_exception")) {  // fetch names it with --index, serve in its --pools file
            return new Failure(false, ExitCode.USAGE, said, "; check the index name (fetch: --index; serve: the pool's \"index\" in --pools)", e);
        }
        if (status == 200) {  // a 200 the client refused: not Elasticsearch's answer (wrong URL, a proxy)
            return new Failure(false, ExitCode.USAGE, summary, "; does --es-url point at Elasticsearch?", e);
        }
        if (status >= 400 && status < 500) return new Failure(false, ExitCode.USAGE, said, "", e);
        return new Failure(false, ExitCode.SOURCE_UNAVAILABLE, said, "", e);
    }

    JobException toJobException(String what, String urls, int attempts, long startedNanos) {
        String tried = attempts > 1
            ? String.format(" (%d attempts over %.1f s)", attempts, (System.nanoTime() - startedNanos) / 1e9) : "";
        String where = exitCode == ExitCode.SOURCE_UNAVAILABLE ? "Elasticsearch unavailable: " : "Elasticsearch: ";
        return new JobException(exitCode, where + "cannot " + what + " at " + urls + ": " + summary + tried + hint, cause);
    }

    /** The most telling reason: the first root cause (a shard's reason for a failed search), then what caused it. */
    private static String describe(ErrorCause error) {
        ErrorCause root = error.rootCause().isEmpty() ? error : error.rootCause().getFirst();
        String text = root.type() + ": " + root.reason();
        if (root.causedBy() != null && root.causedBy().reason() != null) text += " (" + root.causedBy().reason() + ")";
        if (root != error && !error.type().equals(root.type())) text = root.type() + " in " + error.type() + text.substring(root.type().length());
        return oneLine(text);
    }

    /** In curl's words (connection refused, timed out, unknown host) when it is one of those, else the deepest message. */
    private static String cause(IOException e) {
        String named = Causes.describe(e);
        if (!named.equals(e.getMessage()) && !named.equals("I/O error")) return oneLine(named);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return oneLine(Causes.describe(root));
    }

    private static String oneLine(String text) {
        if (text == null) return "";
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 400 ? line.substring(0, 400) + "…" : line;
    }
}
