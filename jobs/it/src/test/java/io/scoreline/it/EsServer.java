package io.scoreline.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.Stream;

/**
 * A real Elasticsearch node given by the environment: SCORELINE_IT_ES9_URL and SCORELINE_IT_ES8_URL (scripts/test.sh
 * starts both through testenv/up.sh). A test on a server that is not given is skipped, saying how to start one.
 */
record EsServer(String name, String variable, String url) {

    static Stream<EsServer> all() {
        return Stream.of(of("9", "SCORELINE_IT_ES9_URL"), of("8", "SCORELINE_IT_ES8_URL"));
    }

    private static EsServer of(String major, String variable) {
        String url = System.getenv(variable);
        return new EsServer("Elasticsearch " + major, variable, url == null || url.isBlank() ? null : url.strip());
    }

    /** Skips the calling test unless this server is given. */
    EsServer required() {
        assumeTrue(url != null, () -> variable + " is not set: start a node with testenv/elasticsearch/start.sh "
            + name.substring(name.length() - 1) + " <port> <work-dir> and export its URL, or run make test");
        return this;
    }

    @Override
    public String toString() {
        return name;
    }
}
