package io.scoreline.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://bucket/prefix}: the store S3 itself defines. Store keys live under the prefix; whole-object visibility
 * comes from single PUTs and completed multipart uploads, conditional writes from If-None-Match / If-Match.
 */
public final class S3Store implements ObjectStore {
    private final S3Client s3;
    private final S3Location location;
    private final S3Encryption encryption;
    private final S3Limits limits;
    private final S3Failures failures;

    S3Store(S3Client s3, S3Location location, S3Encryption encryption, S3Limits limits) {
        this.s3 = s3;
        this.location = location;
        this.encryption = encryption;
        this.limits = limits;
        this.failures = new S3Failures(location, endpoint(s3));
    }

    /** Credentials come from the SDK's default chain only: environment, profile, web identity, instance role. */
    static S3Store open(String uri, S3Settings settings) {
        S3Location location = S3Location.parse(uri);
        var client = S3Clients.create(settings, DefaultCredentialsProvider.builder().build(), S3Limits.DEFAULTS);
        return new S3Store(client, location, settings.encryption(), S3Limits.DEFAULTS);
    }

    @Override
    public String describe() {
        return location.describe();
    }

    /** One HeadBucket: the bucket exists, the credentials are found and accepted, the endpoint answers. */
    @Override
    public void check(Use use) {
        try {
            s3.headBucket(b -> b.bucket(location.bucket()));
        } catch (SdkException e) {
            throw failures.check(e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return s3.getObject(get(key));
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(describe(), key);
        } catch (SdkException e) {
            throw failures.of("read", key, e);
        }
    }

    @Override
    public Optional<Versioned> read(String key, long maxBytes) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(get(key))) {
            Long size = in.response().contentLength(); // S3 always sends it on a GET
            if (size != null && size > maxBytes) {
                in.abort(); // don't download what we refuse
                throw StoreException.tooLarge(key, size, maxBytes);
            }
            return Optional.of(new Versioned(in.readAllBytes(), in.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failures.of("read", key, e);
        } catch (IOException e) {
            throw failures.io("read", key, e);
        }
    }

    @Override
    public StoredObject write(String key, Body body) {
        Keys.check(key);
        var upload = new PartBufferedUpload(s3, location.bucket(), location.key(key), encryption, limits.partSize(),
            (bytes, length) -> putObject(key, bytes, length, Precondition.NONE), e -> failures.of("write", key, e));
        try {
            body.writeTo(upload);
            String etag = upload.finish();
            return new StoredObject(key, upload.size(), etag);
        } catch (IOException e) {
            throw failures.io("write", key, e);
        } catch (UncheckedIOException e) {
            throw failures.io("write", key, e.getCause());
        } finally {
            upload.abortUnlessFinished();
        }
    }

    @Override
    public StoredObject put(String key, byte[] bytes, Precondition precondition) {
        Keys.check(key);
        return new StoredObject(key, bytes.length, putObject(key, bytes, bytes.length, precondition));
    }

    @Override
    public StoredObject copy(String fromKey, String toKey) {
        Keys.check(toKey);
        long size = head(fromKey).orElseThrow(() -> new ObjectNotFoundException(describe(), fromKey)).contentLength();
        if (size > limits.maxCopyBytes()) {
            // CopyObject stops at 5 GiB; streaming through this JVM needs no multipart-copy bookkeeping
            return write(toKey, out -> {
                try (InputStream in = open(fromKey)) {
                    in.transferTo(out);
                }
            });
        }
        var request = encryption.on(CopyObjectRequest.builder()
            .sourceBucket(location.bucket()).sourceKey(location.key(fromKey))
            .destinationBucket(location.bucket()).destinationKey(location.key(toKey))).build();
        try {
            return new StoredObject(toKey, size, s3.copyObject(request).copyObjectResult().eTag());
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(describe(), fromKey);
        } catch (SdkException e) {
            throw failures.of("copy '" + fromKey + "' to", toKey, e);
        }
    }

    @Override
    public boolean exists(String key) {
        return head(key).isPresent();
    }

    @Override
    public List<String> list(String prefix) {
        try {
            return s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(location.key(prefix))
                    .maxKeys(limits.listPageSize()))
                .contents().stream()
                .map(S3Object::key)
                .filter(k -> !k.endsWith("/")) // "folder" markers made by consoles are not objects of this store
                .map(location::storeKey)
                .sorted()
                .toList();
        } catch (SdkException e) {
            throw failures.of("list", prefix, e);
        }
    }

    @Override
    public List<Listed> listWithTimes(String prefix) {
        try {
            return s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(location.key(prefix))
                    .maxKeys(limits.listPageSize()))
                .contents().stream()
                .filter(o -> !o.key().endsWith("/"))
                .map(o -> new Listed(location.storeKey(o.key()), o.lastModified()))
                .sorted(java.util.Comparator.comparing(Listed::key))
                .toList();
        } catch (SdkException e) {
            throw failures.of("list", prefix, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private GetObjectRequest get(String key) {
        Keys.check(key);
        return GetObjectRequest.builder().bucket(location.bucket()).key(location.key(key)).build();
    }

    private Optional<HeadObjectResponse> head(String key) {
        Keys.check(key);
        try {
            return Optional.of(s3.headObject(b -> b.bucket(location.bucket()).key(location.key(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failures.of("look up", key, e);
        }
    }

    private String putObject(String key, byte[] bytes, int length, Precondition precondition) {
        var request = encryption.on(PutObjectRequest.builder().bucket(location.bucket()).key(location.key(key)));
        switch (precondition) {
            case Precondition.Absent a -> request.ifNoneMatch("*");
            case Precondition.Matching m -> request.ifMatch(m.etag());
            case Precondition.None n -> { }
        }
        try {
            return s3.putObject(request.build(), PartBufferedUpload.body(bytes, length)).eTag();
        } catch (S3Exception e) {
            if (lostRace(e, precondition)) throw new PreconditionFailedException(describe(), key);
            throw failures.of("write", key, e);
        } catch (SdkException e) {
            throw failures.of("write", key, e);
        }
    }

    /**
     * 412: the precondition failed. 409 ConditionalRequestConflict: another conditional write to the key was in
     * flight. 404 on If-Match: the object we read is gone, which is a change like any other.
     */
    private static boolean lostRace(S3Exception e, Precondition precondition) {
        if (precondition instanceof Precondition.None) return false;
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        boolean gone = precondition instanceof Precondition.Matching && e.statusCode() == 404 && !"NoSuchBucket".equals(code);
        return e.statusCode() == 412 || "ConditionalRequestConflict".equals(code) || gone;
    }

    /** Where requests go, for error messages: the override (also from AWS_ENDPOINT_URL*) or AWS's regional host. */
    private static String endpoint(S3Client s3) {
        var config = s3.serviceClientConfiguration();
        return config.endpointOverride().map(Object::toString)
            .orElse("https://s3." + config.region().id() + ".amazonaws.com");
    }
}
