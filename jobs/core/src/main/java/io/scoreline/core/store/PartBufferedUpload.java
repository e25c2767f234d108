package io.scoreline.core.store;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * The stream a {@link ObjectStore.Body} writes into on S3, holding one part in memory at a time. Up to one part's
 * bytes go up as a single PUT; more become a multipart upload, which S3 shows to readers only once it is completed.
 * Whoever finishes it must call {@link #abortUnlessFinished()} so a failed upload leaves nothing behind.
 */
final class PartBufferedUpload extends OutputStream {
    private static final Logger log = LoggerFactory.getLogger(PartBufferedUpload.class);

    /** Stores a whole small object in one request; returns its ETag. */
    @FunctionalInterface
    interface SinglePut {
        String put(byte[] bytes, int length);
    }

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final S3Encryption encryption;
    private final SinglePut singlePut;
    private final Function<SdkException, StoreException> failure;
    private final byte[] part;
    private final List<CompletedPart> parts = new ArrayList<>();
    private int filled;
    private long size;
    private String uploadId;
    private boolean finished;

    PartBufferedUpload(S3Client s3, String bucket, String key, S3Encryption encryption, int partSize,
                       SinglePut singlePut, Function<SdkException, StoreException> failure) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.encryption = encryption;
        this.singlePut = singlePut;
        this.failure = failure;
        this.part = new byte[partSize];
    }

    @Override
    public void write(int b) {
        if (filled == part.length) uploadPart();
        part[filled++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            // a full part is sent only when more bytes arrive, so an object of exactly one part stays a single PUT
            if (filled == part.length) uploadPart();
            int n = Math.min(length, part.length - filled);
            System.arraycopy(bytes, offset, part, filled, n);
            filled += n;
            offset += n;
            length -= n;
            size += n;
        }
    }

    /** Bodies may close the stream they were given (a GZIPOutputStream does); the object is committed by finish(). */
    @Override
    public void close() {}

    long size() {
        return size;
    }

    /** Makes the object visible, whole; returns its ETag. */
    String finish() {
        String etag;
        if (uploadId == null) {
            etag = singlePut.put(part, filled);
        } else {
            uploadPart();
            etag = call(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))).eTag());
        }
        finished = true;
        return etag;
    }

    /** Drops the parts uploaded so far; a multipart upload that is never completed is never visible anyway. */
    void abortUnlessFinished() {
        if (finished || uploadId == null) return;
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            log.warn("could not abort the unfinished multipart upload of '{}' in bucket '{}' ({}); its parts cost storage"
                + " until a lifecycle rule (AbortIncompleteMultipartUpload) removes them", key, bucket, e.getMessage());
        }
        finished = true;
    }

    private void uploadPart() {
        if (uploadId == null) {
            // CRC32 declared up front: S3 then checks every part and requires the part checksums on completion
            var create = encryption.on(CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).build();
            uploadId = call(() -> s3.createMultipartUpload(create).uploadId());
        }
        int number = parts.size() + 1;
        int length = filled;
        // computed here rather than echoed by the server: completion must repeat every part's checksum
        String crc32 = crc32(part, length);
        var response = call(() -> s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
            .checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumCRC32(crc32), body(part, length)));
        parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag()).checksumCRC32(crc32).build());
        filled = 0;
    }

    private static String crc32(byte[] bytes, int length) {
        var crc = new CRC32();
        crc.update(bytes, 0, length);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The buffer itself, not a copy; a fresh stream per attempt so a retry resends the same bytes. */
    static RequestBody body(byte[] bytes, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
            "application/octet-stream");
    }

    private <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw failure.apply(e);
        }
    }
}
