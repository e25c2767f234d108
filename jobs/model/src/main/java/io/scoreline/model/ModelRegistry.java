package io.scoreline.model;

import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.Digests;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.ObjectTooLargeException;
import io.scoreline.core.store.Precondition;
import io.scoreline.core.store.PreconditionFailedException;
import io.scoreline.model.onnx.OnnxModels;
import io.scoreline.model.trees.TreeEnsembles;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Models in the store: register bytes with their spec, point aliases, and load straight into memory. */
public final class ModelRegistry {
    /** Model files larger than this are refused before download; raise it with --max-model-bytes. */
    public static final long DEFAULT_MAX_BYTES = 512L << 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final ObjectStore store;

    public ModelRegistry(ObjectStore store) {
        this.store = store;
    }

    public record Alias(String version) {}

    /**
     * Writes the bytes, the flattened trees of a Smile ensemble (model.trees), then model.json (so a spec never names
     * missing bytes); versions are immutable.
     */
    public ModelSpec register(CheckedModel model, String name, String version) {
        checkName("model name", name);
        checkName("model version", version);
        ModelSpec spec = model.spec();
        byte[] bytes = model.bytes();
        String dir = Layout.modelDir(name, version);
        String sha256 = Digests.sha256Hex(bytes);
        Optional<ModelSpec> existing = readSpec(name, version);
        if (existing.isPresent()) {
            if (existing.get().sha256().equals(sha256)) return existing.get(); // same bytes again: nothing to do
            throw JobException.usage("model " + name + "/" + version + " already exists with other bytes: versions are"
                + " immutable, register under a new --model-version");
        }
        byte[] trees = model.trees().orElse(null);
        ModelSpec stored = spec.withIdentity(name, version, sha256, bytes.length)
            .withTrees(trees == null ? null : new ModelSpec.Trees(ModelSpec.TREES_FILE, Digests.sha256Hex(trees), trees.length));
        try {
            store.put(dir + spec.file(), bytes, Precondition.ABSENT);
        } catch (PreconditionFailedException e) {
            // bytes without a model.json: a crashed or concurrent registration; reuse them only if identical
            if (!holds(dir + spec.file(), stored.sha256(), bytes.length)) throw JobException.usage("model " + name + "/" + version + " is being registered by someone else"
                + " with other bytes; register under a new --model-version");
        }
        if (trees != null) store.put(dir + ModelSpec.TREES_FILE, trees, Precondition.NONE);
        try {
            store.put(Layout.modelSpec(name, version), Json.bytes(stored), Precondition.ABSENT);
        } catch (PreconditionFailedException e) {
            throw JobException.usage("model " + name + "/" + version + " was registered by someone else meanwhile");
        }
        return stored;
    }

    public void setAlias(String name, String alias, String version) {
        checkName("alias", alias);
        if (!store.exists(Layout.modelSpec(name, version))) {
            throw JobException.model("cannot point alias '" + alias + "' at " + name + "/" + version + ": no such model version", null);
        }
        StoredJson.write(store, Layout.alias(name, alias), new Alias(version));
    }

    public String resolve(String name, String alias) {
        return StoredJson.value(store, Layout.alias(name, alias), Alias.class)
            .map(Alias::version)
            .orElseThrow(() -> JobException.model(noAlias(name, alias), null));
    }

    /** What to do depends on what is there: a misspelt model, a misspelt alias, or versions no alias names yet. */
    private String noAlias(String name, String alias) {
        if (versions(name).isEmpty()) {
            List<String> models = models();
            return "no model '" + name + "' in " + store.describe() + (models.isEmpty()
                ? ": register one with 'predict.jar register --model " + name + " --alias " + alias + " …'"
                : "; its models: " + String.join(", ", models));
        }
        Map<String, String> aliases = aliases(name);
        return "model '" + name + "' has no alias '" + alias + "' in " + store.describe() + (aliases.isEmpty()
            ? ": point it at a version with 'predict.jar models promote " + name + " VERSION --alias " + alias + "' (its versions: "
                + String.join(", ", versions(name)) + ")"
            : "; its aliases: " + String.join(", ", aliases.keySet()));
    }

    /** Model names in the store, sorted. */
    public List<String> models() {
        return store.list("models/").stream().map(k -> k.substring("models/".length()).split("/", 2)[0]).distinct().sorted().toList();
    }

    /** The versions of a model that have a model.json, in key order. */
    public List<String> versions(String name) {
        checkName("model name", name);
        String prefix = "models/" + name + "/";
        return store.list(prefix).stream()
            .map(k -> k.substring(prefix.length()).split("/"))
            .filter(p -> p.length == 2 && p[1].equals("model.json") && !p[0].equals("aliases"))
            .map(p -> p[0]).toList();
    }

    /** Alias to version, sorted by alias. */
    public Map<String, String> aliases(String name) {
        checkName("model name", name);
        String prefix = "models/" + name + "/aliases/";
        Map<String, String> aliases = new TreeMap<>();
        for (String key : store.list(prefix)) {
            String alias = key.substring(prefix.length());
            if (!alias.endsWith(".json") || alias.contains("/")) continue;
            alias = alias.substring(0, alias.length() - ".json".length());
            String named = alias;
            StoredJson.value(store, key, Alias.class).ifPresent(a -> aliases.put(named, a.version()));
        }
        return aliases;
    }

    /** A version's model.json, or a usage error listing the versions there are. */
    public ModelSpec spec(String name, String version) {
        checkName("model version", version);
        return readSpec(name, version).orElseThrow(() -> JobException.usage(noVersion(name, version)));
    }

    private String noVersion(String name, String version) {
        List<String> versions = versions(name);
        if (versions.isEmpty()) return "no model '" + name + "' in " + store.describe() + "; 'predict.jar models list' shows the models";
        return "model " + name + " has no version '" + version + "'; its versions: " + String.join(", ", versions);
    }

    /** Points an alias at an existing version and returns the version it pointed at before, if any. */
    public Optional<String> promote(String name, String alias, String version) {
        checkName("alias", alias);
        spec(name, version);
        Optional<String> before = StoredJson.value(store, Layout.alias(name, alias), Alias.class).map(Alias::version);
        StoredJson.write(store, Layout.alias(name, alias), new Alias(version));
        return before;
    }

    /**
     * Loads a version: spec, bytes in memory (never a local file), sha256 check, then the format's own checked loader.
     * A Smile ensemble registered with its flattened trees loads them instead of the model (checked the same way; the
     * Smile model was checked against model.json when they were made from it).
     */
    public LoadedModel load(String name, String version, long maxBytes) {
        String where = name + "/" + version;
        ModelSpec spec = readSpec(name, version)
            .orElseThrow(() -> JobException.model(noVersion(name, version), null));
        String dir = Layout.modelDir(name, version);
        if (spec.trees() != null) {
            byte[] trees = checkedBytes(where, dir + spec.trees().file(), spec.trees().sha256(), maxBytes);
            Optional<Scorer> scorer = TreeEnsembles.stored(trees, spec, "model " + where + ": " + spec.trees().file());
            if (scorer.isPresent()) return new LoadedModel(spec, scorer.get());
        }
        byte[] bytes = checkedBytes(where, dir + spec.file(), spec.sha256(), maxBytes);
        return new LoadedModel(spec, inspect(spec, bytes, "model " + where));
    }

    /** A model file in memory, refused when missing, over the limit or not the bytes model.json names by sha256. */
    private byte[] checkedBytes(String where, String key, String sha256, long maxBytes) {
        byte[] bytes;
        try {
            bytes = store.read(key, maxBytes)
                .orElseThrow(() -> JobException.model("model " + where + ": the bytes '" + key + "' are missing", null))
                .bytes();
        } catch (ObjectTooLargeException e) {
            throw JobException.model("model " + where + ": " + e.getMessage() + " (--max-model-bytes); raise the limit if"
                + " the model really is that big", e);
        }
        String actual = Digests.sha256Hex(bytes);
        if (!actual.equals(sha256)) {
            String which = key.endsWith("/" + ModelSpec.TREES_FILE) ? "its trees (" + ModelSpec.TREES_FILE + ") have" : "its bytes have";
            throw JobException.model("model " + where + " is corrupt: " + which + " sha256 " + actual + " but model.json says "
                + sha256 + "; register the model again", null);
        }
        return bytes;
    }

    /**
     * The one check of a model's bytes against its model.json, at load and (through {@link CheckedModel}) at register,
     * before anything is stored.
     */
    public static Scorer inspect(ModelSpec spec, byte[] bytes, String what) {
        requireTask(spec, what);
        if (ModelSpec.ONNX.equals(spec.format())) return OnnxModels.scorer(spec, bytes, what);
        return TreeEnsembles.scorer(SafeDeserializer.read(bytes, what), spec);
    }

    static void requireTask(ModelSpec spec, String what) {
        if (spec.task() == null) throw JobException.model(what + ": model.json lacks task (classification or regression)", null);
    }

    /** The stored model.json of a version, checked against the contract: a foreign or damaged one is a model error. */
    public Optional<ModelSpec> readSpec(String name, String version) {
        String key = Layout.modelSpec(name, version);
        String what = "model " + name + "/" + version + ": model.json";
        try {
            return store.read(key, ModelSpecCheck.MAX_SPEC_BYTES)
                .map(v -> ModelSpecCheck.read(v.bytes(), what, reason -> JobException.model(reason, null)));
        } catch (ObjectTooLargeException e) {
            throw JobException.model(what + " is larger than " + ModelSpecCheck.MAX_SPEC_BYTES + " bytes", e);
        }
    }

    /** Refuses a name before anything is stored, so a bad --alias never leaves a half-done registration. */
    public static void checkAliasName(String alias) {
        checkName("alias", alias);
    }

    private boolean holds(String key, String sha256, long size) {
        try {
            return store.read(key, size).map(v -> Digests.sha256Hex(v.bytes()).equals(sha256)).orElse(false);
        } catch (ObjectTooLargeException e) {
            return false;
        }
    }

    private static void checkName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches() || value.startsWith(".")) {
            throw JobException.usage("invalid " + what + " '" + value + "': use 1-100 characters of [A-Za-z0-9._-]");
        }
    }
}
