package io.scoreline.core.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The end of an incident that was alerted: a long-running part (serve's pool refresh, its model reload) works again.
 * Without it, whoever saw the failure in the channel cannot tell it is over.
 */
@JsonPropertyOrder({"event", "text", "job"})
public record Recovered(String job, String text) implements WebhookMessage {
    @JsonProperty("event")
    @Override
    public String event() {
        return "recovered";
    }

    @JsonProperty("text")
    @Override
    public String text() {
        return text;
    }
}
