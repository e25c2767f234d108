package io.scoreline.bench.http;

import io.javalin.Javalin;

/** Javalin on Jetty 12, with its default thread pool. Port from the first argument. */
public final class JavalinMain {
    private JavalinMain() {}

    public static void main(String[] args) {
        Javalin.create(config -> config.routes.post("/rank", ctx -> ctx.contentType("application/json").result(Answer.of(ctx.bodyAsBytes()))))
            .start(Integer.parseInt(args[0]));
    }
}
