package io.scoreline.bench.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;

/** Helidon SE 4 webserver: one virtual thread per request (its default). Port from the first argument. */
public final class HelidonMain {
    private HelidonMain() {}

    public static void main(String[] args) {
        WebServer.builder().port(Integer.parseInt(args[0]))
            .routing(r -> r.post("/rank", (req, res) -> {
                byte[] answer = Answer.of(req.content().as(byte[].class));
                res.header(HeaderValues.CONTENT_TYPE_JSON).send(answer);
            }))
            .build().start();
    }
}
