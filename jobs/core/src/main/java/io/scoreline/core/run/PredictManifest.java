package io.scoreline.core.run;

import io.scoreline.core.records.OutputFile;

/** runs/&lt;run&gt;/predict.json: which model scored what. */
public record PredictManifest(
    String runId,
    ModelRef model,
    String input,
    String inputSha256,
    long read,
    long scored,
    long rejected,
    OutputFile output,
    OutputFile rejectedOutput,
    int threads,
    Timing timing) {

    public record ModelRef(String name, String version, String alias, String sha256, String algorithm, String task) {}
}
