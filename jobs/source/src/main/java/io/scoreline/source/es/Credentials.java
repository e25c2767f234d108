package io.scoreline.source.es;

import io.scoreline.core.error.JobException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How we authenticate: at most one of API key, basic auth or bearer token. Holds the Authorization header value;
 * {@link #toString()} names only the method, so a credential cannot leak through a log line or an error message.
 */
public final class Credentials {
    private final String method;
    private final String authorization;

    private Credentials(String method, String authorization) {
        this.method = method;
        this.authorization = authorization;
    }

    public static Credentials of(String apiKey, String username, String password, String bearerToken) {
        int given = (apiKey != null ? 1 : 0) + (username != null || password != null ? 1 : 0) + (bearerToken != null ? 1 : 0);
        if (given > 1) throw JobException.usage("give one of --es-api-key, --es-username/--es-password or --es-bearer-token");
        if (apiKey != null) return new Credentials("API key", "ApiKey " + encodedApiKey(apiKey));
        if (bearerToken != null) return new Credentials("bearer token", "Bearer " + bearerToken);
        if (username != null || password != null) {
            if (username == null || password == null) throw JobException.usage("--es-username and --es-password go together");
            return new Credentials("user " + username, "Basic " + base64(username + ":" + password));
        }
        return new Credentials("no credentials", null);
    }

    /** The Authorization header value, or null when none is sent. */
    String authorization() {
        return authorization;
    }

    @Override
    public String toString() {
        return method;
    }

    // Elasticsearch hands out API keys both as "id:api_key" and as base64 of that ("encoded"); the header wants the latter.
    private static String encodedApiKey(String key) {
        return key.contains(":") ? base64(key) : key;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
