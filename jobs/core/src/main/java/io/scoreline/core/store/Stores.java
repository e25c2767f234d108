package io.scoreline.core.store;


/** Turns a --store URI into a store. */
public final class Stores {
    private Stores() {}

    /** A store with the default S3 settings (region, endpoint and credentials from the AWS SDK's chains). */
    public static ObjectStore open(String uri) {
        return open(uri, S3Settings.DEFAULTS);
    }

    public static ObjectStore open(String uri, S3Settings s3) {
        if (uri != null && uri.startsWith("s3://")) return S3Store.open(uri, s3);
        return new FileStore(LocalPaths.parse(uri, "--store", "file:///dir, a path or s3://bucket/prefix"));
    }
}
