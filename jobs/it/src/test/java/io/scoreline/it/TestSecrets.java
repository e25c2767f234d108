package io.scoreline.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The credentials every black-box test hands the jobs, distinctive enough that finding one in a log, an alert or a
 * stored object can only mean a leak. {@link Jobs#run} checks every job's output against them.
 */
final class TestSecrets {
    static final String S3_SECRET_KEY = "sl-it-s3-secret-Qx7vK2pW";
    static final String ES_SECRET = "sl-it-es-secret-Vb4nR8tZ";
    static final String WEBHOOK_TOKEN = "sl-it-hook-token-Mj3sL9dY";

    private static final List<String> ALL = List.of(S3_SECRET_KEY, ES_SECRET, WEBHOOK_TOKEN,
        base64("key-id:" + ES_SECRET), base64("elastic:" + ES_SECRET));

    private TestSecrets() {}

    /** The secrets (or encoded forms of them) that {@code text} contains; empty when none. */
    static List<String> foundIn(String text) {
        List<String> found = new ArrayList<>();
        for (String secret : ALL) if (text.contains(secret)) found.add(secret.substring(0, 10) + "…");
        return found;
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
