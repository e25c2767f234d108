package io.scoreline.core.store;

import picocli.CommandLine.Option;

/** Where models, runs and the published output live. */
public final class StoreOptions {
    @Option(names = "--store", paramLabel = "URI", defaultValue = "scoreline-store",
            description = "Object store: file:///dir, a local path, or s3://bucket/prefix. Default: ${DEFAULT-VALUE}.")
    private String store;

    public ObjectStore open() {
        return Stores.open(store);
    }

    public String uri() {
        return store;
    }
}
