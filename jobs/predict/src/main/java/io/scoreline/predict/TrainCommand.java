package io.scoreline.predict;

import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.error.JobException;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.predict.train.Algorithm;
import io.scoreline.predict.train.Trainer;
import io.scoreline.predict.train.TrainingData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = "Trains a Smile model from an NDJSON or CSV file and writes model.smile and model.json into --out,"
        + " ready for 'predict.jar register'. Feature types and defaults are inferred from the data.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training rows: .ndjson, .jsonl or .csv (optionally .gz).")
    private Path data;

    @Option(names = "--target", required = true, description = "Column to predict.")
    private String target;

    @Option(names = "--task", description = "classification or regression. Default: inferred from the target.")
    private String task;

    @Option(names = "--algorithm", defaultValue = "random-forest",
            description = "random-forest, gradient-boosting or logistic-regression. Default: ${DEFAULT-VALUE}.")
    private String algorithm;

    @Option(names = "--features", split = ",", description = "Feature columns, in order. Default: every column but the target and --exclude.")
    private List<String> features = List.of();

    @Option(names = "--exclude", split = ",", defaultValue = "id,updated_at",
            description = "Columns that are never features. Default: ${DEFAULT-VALUE}.")
    private List<String> excluded;

    @Option(names = "--trees", defaultValue = "100", description = "Trees for forest and boosting. Default: ${DEFAULT-VALUE}.")
    private int trees;

    @Option(names = "--out", defaultValue = "model", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Mixin private AlertOptions alert;
    @Mixin private VerboseOption verbose;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Algorithm algo;
        try {
            algo = Algorithm.parse(algorithm);
        } catch (IllegalArgumentException e) {
            throw JobException.usage(e.getMessage() + ": use random-forest, gradient-boosting or logistic-regression");
        }
        var rows = TrainingData.read(data);
        Task t = task == null ? TrainingData.inferTask(rows, target) : parseTask(task);
        var prepared = TrainingData.prepare(rows, target, features, excluded, t);
        var trained = Trainer.train(prepared, t, algo, target, trees, data.getFileName().toString());
        Files.createDirectories(out);
        Files.write(out.resolve(trained.spec().file()), trained.bytes());
        Files.write(out.resolve("model.json"), Json.bytes(trained.spec()));
        spec.commandLine().getOut().printf(Locale.ROOT, "trained %s %s on %d rows, %d features: %s %.4f -> %s%n", algo.label(),
            t.name().toLowerCase(Locale.ROOT), prepared.x().length, prepared.features().size(), trained.metric(), trained.holdout(), out);
        return 0;
    }

    private static Task parseTask(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "classification" -> Task.CLASSIFICATION;
            case "regression" -> Task.REGRESSION;
            default -> throw JobException.usage("--task '" + value + "': use classification or regression");
        };
    }
}
