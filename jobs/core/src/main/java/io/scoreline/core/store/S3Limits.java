package io.scoreline.core.store;

import java.time.Duration;

/**
 * Sizes and timeouts of the S3 store. Production uses {@link #DEFAULTS}; tests shrink them to reach the multipart,
 * pagination and copy-fallback paths with small objects, and to fail fast.
 *
 * @param partSize bytes held in memory per write, and the multipart part size (S3 requires at least 5 MiB)
 * @param listPageSize keys per ListObjectsV2 page (S3's maximum is 1000)
 * @param maxCopyBytes the largest object CopyObject may copy in one request (S3: 5 GiB); larger ones are streamed
 * @param maxAttempts tries per request, first one included, for throttling, 5xx and network errors
 */
record S3Limits(int partSize, int listPageSize, long maxCopyBytes, int maxAttempts, Duration connectTimeout,
                Duration socketTimeout) {
    static final int MIN_PART_SIZE = 5 << 20;
    static final S3Limits DEFAULTS = new S3Limits(8 << 20, 1000, 5L << 30, 5, Duration.ofSeconds(10),
        Duration.ofSeconds(60));

    S3Limits {
        if (partSize < MIN_PART_SIZE) throw new IllegalArgumentException("S3 parts are at least 5 MiB: " + partSize);
    }

    S3Limits withMaxCopyBytes(long bytes) {
        return new S3Limits(partSize, listPageSize, bytes, maxAttempts, connectTimeout, socketTimeout);
    }
}
