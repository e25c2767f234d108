package io.scoreline.serve.health;

import io.scoreline.core.alert.Alert;
import io.scoreline.core.alert.Recovered;
import io.scoreline.core.alert.WebhookAlerts;
import io.scoreline.core.alert.WebhookMessage;
import io.scoreline.core.error.ExitCode;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends serve's alerts through the jobs' webhook (--alert-webhook / SCORELINE_ALERT_WEBHOOK) with the jobs' alert fields
 * ({@link Alert}), and the end of an alerted incident ({@link Recovered}), each on a thread of its own so that a slow webhook never holds a refresh. Without a webhook: only logged.
 */
public final class Alerts {
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final String webhook;
    private final WebhookAlerts sender = new WebhookAlerts(WebhookAlerts.DEFAULT_TIMEOUT);
    private final AtomicLong sent = new AtomicLong(), failed = new AtomicLong();

    /** {@code webhook}: the URL, a secret never logged; null or blank for none. */
    public Alerts(String webhook) {
        this.webhook = webhook == null || webhook.isBlank() ? null : webhook;
    }

    void failed(String job, ExitCode code, String error) {
        send(new Alert(job, null, code.code(), code.meaning(), code.retried(), error));
    }

    void recovered(String job, String text) {
        send(new Recovered(job, text));
    }

    private void send(WebhookMessage message) {
        if (webhook == null) return;
        Thread.ofVirtual().name("alert").start(() -> sender.send(webhook, message).ifPresentOrElse(problem -> {
            failed.incrementAndGet();
            log.warn("alert not sent to --alert-webhook: {}", problem);
        }, sent::incrementAndGet));
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }
}
