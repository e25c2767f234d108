package io.scoreline.core.store;

import static io.scoreline.core.store.ObjectStoreContract.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** What only S3 has: single PUT versus multipart, server-side copy, a missing bucket, encryption headers. */
class S3StoreTest {
    private final String prefix = "s3store/" + UUID.randomUUID() + "/";
    private S3Client s3;

    @BeforeEach
    void connect() {
        s3 = S3TestServer.client();
    }

    @AfterEach
    void cleanUp() {
        if (s3 == null) return; // no server: setting up failed, saying how to provide one
        S3TestServer.deleteAll(s3, prefix);
        s3.close();
    }

    @Test
    void upToOnePartIsASinglePutAndMoreIsAMultipartUpload() {
        try (S3Store store = store(S3TestServer.SMALL)) {
            String onePart = store.write("one-part.bin", out -> out.write(random(S3Limits.MIN_PART_SIZE))).etag();
            String threeParts = store.write("three-parts.bin", out -> out.write(random(2 * S3Limits.MIN_PART_SIZE + 1))).etag();
            assertFalse(onePart.contains("-"), onePart);
            assertTrue(threeParts.endsWith("-3\""), threeParts); // S3's multipart ETag: md5 of the part md5s, "-", count
        }
    }

    @Test
    void copyIsServerSideBelowTheCopyLimitAndStreamedAbove() {
        byte[] data = random(S3Limits.MIN_PART_SIZE + 1000);
        try (S3Store store = store(S3TestServer.SMALL)) {
            String sourceEtag = store.put("source.bin", data, Precondition.NONE).etag();
            assertEquals(sourceEtag, store.copy("source.bin", "server-side.bin").etag());
        }
        try (S3Store store = store(S3TestServer.SMALL.withMaxCopyBytes(1000))) {
            var streamed = store.copy("source.bin", "streamed.bin");
            assertTrue(streamed.etag().endsWith("-2\""), "written again in two parts: " + streamed.etag());
            assertEquals(data.length, streamed.size());
            assertArrayEquals(data, store.read("streamed.bin", data.length).orElseThrow().bytes());
        }
    }

    /**
     * Every request that creates an object asks for the encryption (S3 does not carry it over to a copy, and a
     * multipart upload takes it at creation). S3Mock records it for PUT and copy but not for multipart uploads,
     * so the requests are checked as sent and the stored objects where the server keeps the header.
     */
    @Test
    void everyObjectCreatingRequestAsksForTheEncryption() {
        Map<String, String> sent = new ConcurrentHashMap<>();
        var recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sent.put(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    context.httpRequest().firstMatchingHeader("x-amz-server-side-encryption").orElse("none"));
            }
        };
        var builder = S3TestServer.clientBuilder(S3TestServer.settings(S3TestServer.endpoint()), S3TestServer.SMALL);
        var client = builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
            .addExecutionInterceptor(recorder).build()).build();
        try (var store = new S3Store(client, S3Location.parse("s3://" + S3TestServer.bucket() + "/" + prefix),
                 new S3Encryption(SseMode.AES256, null), S3TestServer.SMALL)) {
            store.put("small.json", ObjectStoreContract.bytes("{}"), Precondition.ABSENT);
            store.write("large.bin", out -> out.write(random(S3Limits.MIN_PART_SIZE + 1)));
            store.copy("small.json", "copied.json");
        }
        for (String operation : List.of("PutObject", "CreateMultipartUpload", "CopyObject")) {
            assertEquals("AES256", sent.get(operation), operation);
        }
        for (String key : List.of("small.json", "copied.json")) {
            var head = s3.headObject(b -> b.bucket(S3TestServer.bucket()).key(prefix + key));
            assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption(), key);
        }
    }

    @Test
    void aMissingBucketIsNamed() {
        String bucket = "scoreline-it-missing-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Store store = S3TestServer.store(bucket, "p", S3TestServer.SMALL)) {
            List<Executable> calls = List.of(
                () -> store.write("a.json", out -> out.write(1)),
                () -> store.put("a.json", new byte[1], Precondition.ABSENT),
                () -> store.read("a.json", 10),
                () -> store.open("a.json"),
                () -> store.list(""));
            for (Executable call : calls) {
                var failure = assertThrows(StoreException.class, call);
                assertEquals(ExitCode.STORE_UNAVAILABLE, failure.exitCode());
                assertEquals("bucket '" + bucket + "' does not exist at " + S3TestServer.endpoint()
                    + "; create it or fix --store", failure.getMessage());
            }
        }
    }

    private S3Store store(S3Limits limits) {
        return S3TestServer.store(S3TestServer.bucket(), prefix, limits);
    }
}
