package io.scoreline.core.alert;

import io.scoreline.core.records.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Posts an {@link Alert} (or another {@link WebhookMessage}) as one JSON object to a webhook. The URL carries a token, so nothing this class returns
 * or throws contains it: a failed delivery is described by its kind only (HTTP status, timeout, refused).
 */
public final class WebhookAlerts {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Duration timeout;

    public WebhookAlerts(Duration timeout) {
        this.timeout = timeout;
    }

    /** Sends the message; empty when the webhook accepted it (2xx), else why not, safe to print. */
    public Optional<String> send(String url, WebhookMessage alert) {
        URI uri = parse(url);
        if (uri == null) return Optional.of("the webhook is not an http(s) URL");
        String body = Json.MAPPER.valueToTree(alert).toString();
        HttpRequest request = HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? Optional.empty() : Optional.of("the webhook answered HTTP " + status);
        } catch (HttpTimeoutException e) {
            return Optional.of("the webhook did not answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return Optional.of("the webhook is unreachable (connection refused, reset or unknown host)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while sending");
        }
    }

    private static URI parse(String url) {
        try {
            URI uri = URI.create(url.trim());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
