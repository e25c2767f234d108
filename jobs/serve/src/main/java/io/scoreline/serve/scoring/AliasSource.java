package io.scoreline.serve.scoring;

import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelRegistry;

/** The versions an alias names in the store, loaded as predict loads them (ModelRegistry: sha256, spec and format checks). */
public record AliasSource(ModelRegistry registry, String model, String alias, long maxBytes) implements ModelWatcher.Source {
    @Override
    public String resolve() {
        return registry.resolve(model, alias);
    }

    @Override
    public LoadedModel load(String version) {
        return registry.load(model, version, maxBytes);
    }
}
