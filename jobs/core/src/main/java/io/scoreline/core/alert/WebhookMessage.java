package io.scoreline.core.alert;

/** One JSON object posted to the alert webhook: {@code event} and {@code text} first, as every receiver reads them. */
public sealed interface WebhookMessage permits Alert, Recovered {
    String event();

    String text();
}
