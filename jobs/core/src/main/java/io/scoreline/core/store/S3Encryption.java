package io.scoreline.core.store;

import io.scoreline.core.error.JobException;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The server-side encryption headers of every request that creates an object. S3 does not carry a source's
 * encryption over to a copy, so CopyObject needs them as much as PutObject does. Null values send no header.
 */
public record S3Encryption(SseMode mode, String kmsKeyId) {
    public static final S3Encryption NONE = new S3Encryption(SseMode.NONE, null);

    public S3Encryption {
        if (mode == null) mode = SseMode.NONE;
        if (kmsKeyId != null && kmsKeyId.isBlank()) kmsKeyId = null;
        if (kmsKeyId != null && mode != SseMode.AWS_KMS) {
            throw JobException.usage("--s3-kms-key-id needs --s3-sse aws:kms (it is " + mode + ")");
        }
    }

    PutObjectRequest.Builder on(PutObjectRequest.Builder request) {
        return request.serverSideEncryption(mode.header()).ssekmsKeyId(kmsKeyId);
    }

    CreateMultipartUploadRequest.Builder on(CreateMultipartUploadRequest.Builder request) {
        return request.serverSideEncryption(mode.header()).ssekmsKeyId(kmsKeyId);
    }

    CopyObjectRequest.Builder on(CopyObjectRequest.Builder request) {
        return request.serverSideEncryption(mode.header()).ssekmsKeyId(kmsKeyId);
    }
}
