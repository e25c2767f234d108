import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The baseline publish's upload is compared with: the AWS SDK alone uploads a file with the requests Scoreline's S3
 * store makes (one PutObject up to 8 MiB, else a multipart upload of 8 MiB parts sent one at a time, CRC32 declared)
 * and the same client settings (the JDK's HTTP client, path-style, no aws-chunked encoding). The file is uploaded
 * twice and only the second upload is timed: the first, cold one spends over a second in class loading and the
 * interpreter, while publish has been hashing and compressing for a while when it uploads.
 * Run: java -cp dist/publish.jar bench/S3RawUpload.java FILE BUCKET KEY
 * (endpoint and region from SCORELINE_S3_ENDPOINT and SCORELINE_S3_REGION, credentials from the SDK's chain)
 */
public class S3RawUpload {
    static final int PART = 8 << 20;

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String bucket = args[1];
        String key = args[2];
        try (S3Client s3 = S3Client.builder()
                 .endpointOverride(URI.create(System.getenv("SCORELINE_S3_ENDPOINT")))
                 .region(Region.of(System.getenv("SCORELINE_S3_REGION")))
                 .forcePathStyle(true)
                 .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
                 .httpClientBuilder(UrlConnectionHttpClient.builder())
                 .build()) {
            upload(s3, bucket, key + ".warmup", file); // untimed: a warm JVM, as publish's is when it uploads
            long start = System.nanoTime();
            upload(s3, bucket, key, file);
            System.out.printf(Locale.ROOT, "bytes=%d seconds=%.3f%n", Files.size(file), (System.nanoTime() - start) / 1e9);
        }
    }

    static void upload(S3Client s3, String bucket, String key, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            if (Files.size(file) <= PART) {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(in.readAllBytes()));
            } else {
                multipart(s3, bucket, key, in);
            }
        }
    }

    static void multipart(S3Client s3, String bucket, String key, InputStream in) throws Exception {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (byte[] part = in.readNBytes(PART); part.length > 0; part = in.readNBytes(PART)) {
            int number = parts.size() + 1;
            String crc = crc32(part);
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumCRC32(crc), RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).checksumCRC32(crc).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    }

    static String crc32(byte[] bytes) {
        var crc = new CRC32();
        crc.update(bytes);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
