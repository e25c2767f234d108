package io.scoreline.model;

/** A model ready to score: its spec, a thread-safe scorer, and the vectorizer its features need. */
public record LoadedModel(ModelSpec spec, Scorer scorer) {
    public Vectorizer vectorizer() {
        return new Vectorizer(spec.features());
    }

    public String id() {
        return spec.name() + "/" + spec.version();
    }
}
