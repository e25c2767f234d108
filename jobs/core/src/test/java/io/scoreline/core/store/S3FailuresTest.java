package io.scoreline.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3Mock accepts any credentials, so the answers AWS gives to bad or weak ones are built here, as S3 sends them
 * (status, error code, message), and only their translation is checked.
 */
class S3FailuresTest {
    private static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private final S3Failures failures = new S3Failures(S3Location.parse("s3://data-bucket/scoreline"),
        "https://s3.eu-west-1.amazonaws.com");

    @Test
    void accessDeniedNamesTheObjectAndTheCredentialChain() {
        var e = failures.of("write", "latest/manifest.json", s3Error(403, "AccessDenied", "Access Denied"));
        assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
        assertEquals("access denied to write 'latest/manifest.json' in s3://data-bucket/scoreline/ (AccessDenied): the"
            + " credentials from " + S3Failures.CHAIN + " lack the permission", e.getMessage());
    }

    @Test
    void rejectedCredentialsAreSaidSoWithoutEchoingThem() {
        for (String code : new String[] {"InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken"}) {
            var e = failures.of("read", "state/watermark.json",
                s3Error(403, code, "The AWS Access Key Id " + ACCESS_KEY_ID + " you provided does not exist"));
            assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
            assertTrue(e.getMessage().startsWith("S3 at https://s3.eu-west-1.amazonaws.com rejected the credentials ("
                + code + ") while trying to read 'state/watermark.json'"), e.getMessage());
            assertFalse(e.getMessage().contains(ACCESS_KEY_ID), e.getMessage());
        }
    }

    @Test
    void aMissingBucketIsNamed() {
        var e = failures.of("list", "runs/", s3Error(404, "NoSuchBucket", "The specified bucket does not exist"));
        assertEquals("bucket 'data-bucket' does not exist at https://s3.eu-west-1.amazonaws.com; create it or fix --store",
            e.getMessage());
    }

    @Test
    void networkFailuresNameTheEndpoint() {
        var refused = SdkClientException.builder().message("Unable to execute HTTP request: Connection refused")
            .cause(new ConnectException("Connection refused")).build();
        assertEquals("cannot reach the S3 endpoint https://s3.eu-west-1.amazonaws.com to read 'a.json' in"
            + " s3://data-bucket/scoreline/ (connection refused); check --s3-endpoint,"
            + " AWS_ENDPOINT_URL_S3 and the network", failures.of("read", "a.json", refused).getMessage());
        var unknownHost = SdkClientException.builder().cause(new UnknownHostException("minio.internal")).build();
        assertTrue(failures.of("read", "a.json", unknownHost).getMessage().startsWith("cannot reach the S3 endpoint"));
    }

    @Test
    void missingCredentialsPointAtTheChain() {
        var none = SdkClientException.builder()
            .message("Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain").build();
        assertEquals("no AWS credentials found to read 'a.json' in s3://data-bucket/scoreline/; provide them through "
            + S3Failures.CHAIN, failures.of("read", "a.json", none).getMessage());
    }

    @Test
    void otherRefusalsKeepStatusCodeAndMessage() {
        var e = failures.of("write", "a.json", s3Error(400, "InvalidArgument", "Invalid KMS key"));
        assertEquals("cannot write 'a.json' in s3://data-bucket/scoreline/: S3 answered 400 InvalidArgument: Invalid KMS key",
            e.getMessage());
    }

    @Test
    void aBodilessAnswerToTheStoreCheckIsRetryableAndSaysItsStatus() {
        // S3 throttling the store check's HEAD: no error code, no message, only 503
        var slowDown = (S3Exception) S3Exception.builder().statusCode(503)
            .awsErrorDetails(AwsErrorDetails.builder().build()).build();
        var e = failures.check(slowDown);
        assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
        assertEquals("cannot check s3://data-bucket/scoreline/: S3 answered 503", e.getMessage());
    }

    @Test
    void anInvalidRegionIsAConfigurationErrorNotAnOutage() {
        var e = failures.check(SdkClientException.create("Invalid region: region was not a valid DNS name."));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("the S3 region is not valid (Invalid region: region was not a valid DNS name.): check --s3-region"
            + " (SCORELINE_S3_REGION) and AWS_REGION", e.getMessage());
    }

    private static S3Exception s3Error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
            .message(message).build();
    }
}
