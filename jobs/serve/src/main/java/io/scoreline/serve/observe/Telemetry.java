package io.scoreline.serve.observe;

import java.util.List;

/** What sees every answered request: the metrics and the request log. Called after the answer is written, never blocking. */
public interface Telemetry {
    void answered(Exchange exchange);

    Telemetry NONE = exchange -> { };

    static Telemetry all(List<Telemetry> each) {
        List<Telemetry> copy = List.copyOf(each);
        return exchange -> {
            for (Telemetry t : copy) t.answered(exchange);
        };
    }
}
