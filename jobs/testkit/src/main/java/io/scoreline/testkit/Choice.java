package io.scoreline.testkit;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where a test's server comes from, decided from the environment alone: the endpoint its SCORELINE_IT_* variable
 * names; else a container, when a Docker engine answers (asked only then); else nothing, with one line saying how to
 * provide one.
 */
public sealed interface Choice {

    /** A running server the environment names. */
    record Given(String endpoint) implements Choice {}

    /** No endpoint given, a Docker engine is there: Testcontainers starts {@link Server#image()}. */
    record Container() implements Choice {}

    /** Neither: {@code line} is the whole failure, in one line. */
    record Missing(String line) implements Choice {}

    static Choice of(Server server, Map<String, String> env, BooleanSupplier dockerAvailable) {
        String endpoint = env.get(server.variable());
        if (endpoint != null && !endpoint.isBlank()) return new Given(endpoint.strip());
        if (dockerAvailable.getAsBoolean()) return new Container();
        return new Missing("no " + server.title() + " for the integration tests: run make test (it starts one without"
            + " Docker), or set " + server.variable() + " to a running one, or start a Docker engine so Testcontainers"
            + " runs " + server.image());
    }
}
