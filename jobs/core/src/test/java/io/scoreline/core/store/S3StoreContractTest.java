package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** The contract against a real S3 server; each test gets its own prefix in the shared bucket. */
class S3StoreContractTest extends ObjectStoreContract {
    private final String prefix = "contract/" + UUID.randomUUID() + "/";
    private S3Client s3;

    @Override
    ObjectStore newStore() {
        s3 = S3TestServer.client();
        return S3TestServer.store(S3TestServer.bucket(), prefix, S3TestServer.SMALL);
    }

    @Override
    void assertNoLeftovers() {
        List<String> pending = s3.listMultipartUploads(b -> b.bucket(S3TestServer.bucket()).prefix(prefix))
            .uploads().stream().map(MultipartUpload::key).toList();
        assertEquals(List.of(), pending, "multipart uploads left behind");
    }

    /**
     * S3Mock 5.2.0 drops the key's current object when a multipart upload of that key is aborted
     * (MultipartService.abortMultipartUpload removes the key from the bucket); AWS S3 keeps it. Probed, not assumed.
     */
    @Override
    void assumeFailedLargeWritesKeepObjects() {
        String bucket = S3TestServer.bucket();
        String key = prefix + "probe/abort-keeps-object";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("old"));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        boolean kept = s3.listObjectsV2(b -> b.bucket(bucket).prefix(key)).keyCount() == 1;
        s3.deleteObject(b -> b.bucket(bucket).key(key));
        assumeTrue(kept, "this S3 server deletes an object when a multipart upload of the same key is aborted"
            + " (S3Mock 5.2.0 does, AWS S3 does not), so it cannot show that a failed large write keeps the old object");
    }

    @AfterEach
    void deleteObjects() {
        if (s3 == null) return; // no server: setting up failed, saying how to provide one
        S3TestServer.deleteAll(s3, prefix);
        s3.close();
    }
}
