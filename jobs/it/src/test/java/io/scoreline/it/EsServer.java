package io.scoreline.it;

import io.scoreline.testkit.ItServers;
import io.scoreline.testkit.Server;
import java.util.stream.Stream;

/**
 * A real Elasticsearch node, 9 or 8, from {@link ItServers}: SCORELINE_IT_ES9_URL / SCORELINE_IT_ES8_URL (scripts/test.sh
 * starts both through testenv/up.sh), else a container where Docker runs; with neither, the test fails in one line.
 */
record EsServer(Server server) {

    static Stream<EsServer> all() {
        return Stream.of(new EsServer(Server.ELASTICSEARCH_9), new EsServer(Server.ELASTICSEARCH_8));
    }

    static EsServer es9() {
        return new EsServer(Server.ELASTICSEARCH_9);
    }

    /** The node's URL; resolved (or its container started) on first use. */
    String url() {
        return ItServers.endpoint(server);
    }

    @Override
    public String toString() {
        return server.title();
    }
}
