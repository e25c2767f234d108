package io.scoreline.serve.health;

import io.scoreline.core.alert.Alert;
import io.scoreline.core.alert.WebhookAlerts;
import io.scoreline.core.error.ExitCode;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends serve's alerts through the jobs' webhook (--alert-webhook / SCORELINE_ALERT_WEBHOOK) with the jobs' alert fields
 * ({@link Alert}), each on a thread of its own so that a slow webhook never holds a refresh. Without a webhook: only logged.
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

    void send(String job, ExitCode code, String error) {
        if (webhook == null) return;
        var alert = new Alert(job, null, code.code(), code.meaning(), code.retried(), error);
        Thread.ofVirtual().name("alert").start(() -> sender.send(webhook, alert).ifPresentOrElse(problem -> {
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
