package io.scoreline.model;

import io.scoreline.model.trees.TreeEnsembles;
import java.util.Optional;

/**
 * A model's bytes that passed the load's own check against their model.json ({@link ModelRegistry#inspect}), the only
 * thing {@link ModelRegistry#register} stores. A Smile model is deserialized once, here: the check and the flattened
 * trees register stores beside it (model.trees) share it.
 */
public final class CheckedModel {
    private final ModelSpec spec;
    private final byte[] bytes;
    /** The deserialized Smile model, or null for ONNX. */
    private final Object smile;

    private CheckedModel(ModelSpec spec, byte[] bytes, Object smile) {
        this.spec = spec;
        this.bytes = bytes;
        this.smile = smile;
    }

    /** The model, or a model error (exit 5) with the same reason a load would give. */
    public static CheckedModel of(ModelSpec spec, byte[] bytes, String what) {
        if (!ModelSpec.SMILE.equals(spec.format())) {
            ModelRegistry.inspect(spec, bytes, what);
            return new CheckedModel(spec, bytes, null);
        }
        ModelRegistry.requireTask(spec, what);
        Object smile = SafeDeserializer.read(bytes, what);
        SmileScorer.of(smile, spec);
        return new CheckedModel(spec, bytes, smile);
    }

    public ModelSpec spec() {
        return spec;
    }

    public byte[] bytes() {
        return bytes;
    }

    /** model.trees, made only when asked (register skips it for bytes already stored); empty for a model not flattened. */
    Optional<byte[]> trees() {
        return smile == null ? Optional.empty() : TreeEnsembles.compact(smile, spec);
    }
}
