package io.scoreline.serve.http;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Helidon's logging, as serve.jar has it: java.util.logging routed to SLF4J by {@code ServeCommand.main} before the
 * server exists. Helidon looks for a provider at start and, finding none, prints a line of its own to stderr outside
 * the log ("There is no Helidon logging implementation on classpath"); this one says there is nothing to configure.
 */
public final class Slf4jLogging implements LoggingProvider {
    @Override
    public void initialization() {
        // nothing: the bridge is installed before any Helidon class logs
    }

    @Override
    public void runTime() {
        // nothing to reconfigure at run time either
    }
}
