package io.scoreline.predict;

import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.error.JobException;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreOptions;
import io.scoreline.model.CheckedModel;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpecCheck;
import io.scoreline.model.onnx.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "register", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = "Uploads a trained model (a folder with model.json and the model file) to the store as an immutable"
        + " version, and optionally points an alias at it. For an ONNX model (model.onnx) without an onnx section in"
        + " model.json, the inputs and outputs are read from the model itself; a model whose inputs do not match the"
        + " declared features is refused.")
final class RegisterCommand implements Callable<Integer> {
    @Mixin private StoreOptions store;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "Folder written by 'predict.jar train', or with model.onnx and its model.json.")
    private Path dir;

    @Option(names = "--model", defaultValue = "default", description = "Model name. Default: ${DEFAULT-VALUE}.")
    private String name;

    @Option(names = "--model-version", paramLabel = "VERSION",
            description = "Version to create. Default: the model's creation time, e.g. 20261125-101500.")
    private String version;

    @Option(names = "--alias", description = "Point this alias (e.g. production) at the new version.")
    private String alias;

    @Mixin private AlertOptions alert;
    @Mixin private VerboseOption verbose;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (alias != null) ModelRegistry.checkAliasName(alias);
        ModelSpec model = readSpec();
        byte[] bytes = readFile(dir.resolve(model.file()));
        String what = "model " + dir.resolve(model.file());
        if (ModelSpec.ONNX.equals(model.format())) model = OnnxModels.bind(model, bytes, what, JobException::usage);
        CheckedModel checked = CheckedModel.of(model, bytes, what);
        String v = version != null ? version : DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
            .format(model.createdAt() != null ? model.createdAt() : Instant.now());
        try (ObjectStore target = store.open(ObjectStore.Use.CREATE)) {
            var registry = new ModelRegistry(target);
            ModelSpec stored = registry.register(checked, name, v);
            if (alias != null) registry.setAlias(name, alias, v);
            spec.commandLine().getOut().printf("registered model %s/%s (%d bytes, sha256 %s)%s in %s%n", name, v,
                stored.size(), stored.sha256(), alias == null ? "" : ", alias " + alias, target.describe());
        }
        return 0;
    }

    private ModelSpec readSpec() {
        Path file = dir.resolve("model.json");
        return ModelSpecCheck.read(readFile(file), file.toString(), JobException::usage);
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw JobException.usage("no file " + file + ": give --model-dir a folder written by 'predict.jar train'"
                + " (or with model.onnx and model.json)");
        } catch (IOException e) {
            throw JobException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }
}
