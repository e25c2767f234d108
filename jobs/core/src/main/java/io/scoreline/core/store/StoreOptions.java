package io.scoreline.core.store;

import io.scoreline.core.cli.Converters;
import java.net.URI;
import picocli.CommandLine.Option;

/** Where models, runs and the published output live. */
public final class StoreOptions {
    @Option(names = "--store", paramLabel = "URI", defaultValue = "scoreline-store",
            description = "Object store: file:///dir, a local path, or s3://bucket/prefix. Default: ${DEFAULT-VALUE}.")
    private String store;

    @Option(names = "--s3-region", paramLabel = "REGION",
            description = "Region of the S3 bucket. Default: the AWS SDK's chain (AWS_REGION, profile, instance metadata),"
                + " else us-east-1.")
    private String s3Region;

    @Option(names = "--s3-endpoint", paramLabel = "URL", converter = Converters.EndpointConverter.class,
            description = "S3-compatible endpoint (MinIO, Ceph, R2, S3Mock). Default: AWS_ENDPOINT_URL_S3,"
                + " AWS_ENDPOINT_URL, else AWS.")
    private URI s3Endpoint;

    @Option(names = "--s3-path-style", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Path-style requests (host/bucket/key), which most S3-compatible servers need.")
    private boolean s3PathStyle;

    @Option(names = "--s3-sse", paramLabel = "MODE", defaultValue = "none", converter = Converters.SseModeConverter.class,
            description = "Server-side encryption of the objects written: none (the bucket's default), aes256 or"
                + " aws:kms. Default: ${DEFAULT-VALUE}.")
    private SseMode s3Sse;

    @Option(names = "--s3-kms-key-id", paramLabel = "KEY",
            description = "KMS key id or ARN for --s3-sse aws:kms. Default: the account's aws/s3 key.")
    private String s3KmsKeyId;

    public ObjectStore open() {
        return Stores.open(store, s3());
    }

    /** The store, checked for this use before the job does any work (see {@link ObjectStore#check}). */
    public ObjectStore open(ObjectStore.Use use) {
        ObjectStore opened = open();
        try {
            opened.check(use);
            return opened;
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    public String uri() {
        return store;
    }

    public S3Settings s3() {
        return new S3Settings(s3Region, s3Endpoint, s3PathStyle, s3Sse, s3KmsKeyId);
    }
}
