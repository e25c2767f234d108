package io.scoreline.serve.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The answer to a predict request: one prediction per row, in the published record's form (null: no answer for that row). */
public record PredictResponse(List<JsonNode> predictions, String source, String fallbackReason, String model, String modelVersion,
                              Long cacheAgeMs, long tookMs) {}
