package io.scoreline.core.store;

import io.scoreline.core.error.JobException;

/** {@code s3://bucket/prefix} split into the bucket and the key prefix that every store key is placed under. */
record S3Location(String bucket, String prefix) {
    private static final String SCHEME = "s3://";

    static S3Location parse(String uri) {
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
        // A lenient check (S3-compatible servers allow more than AWS does) that still keeps user:secret@ out of logs.
        if (!bucket.matches("[A-Za-z0-9._-]{1,255}")) {
            throw JobException.usage("--store 's3://…': give s3://bucket or s3://bucket/prefix (bucket names have letters,"
                + " digits, '.', '-' and '_' only)");
        }
        if (!prefix.isEmpty()) Keys.check(prefix);
        return new S3Location(bucket, prefix.isEmpty() ? "" : prefix + "/");
    }

    /** The full S3 key of a store key. */
    String key(String storeKey) {
        return prefix + storeKey;
    }

    /** The store key of a full S3 key listed under this prefix. */
    String storeKey(String s3Key) {
        return s3Key.substring(prefix.length());
    }

    String describe() {
        return SCHEME + bucket + "/" + prefix;
    }
}
