package io.scoreline.core.store;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the one S3 client a job uses, from validated settings. No request is made here. */
final class S3Clients {
    private S3Clients() {}

    static S3Client create(S3Settings settings, AwsCredentialsProvider credentials, S3Limits limits) {
        return builder(settings, credentials, limits).build();
    }

    static S3ClientBuilder builder(S3Settings settings, AwsCredentialsProvider credentials, S3Limits limits) {
        var builder = S3Client.builder()
            .region(region(settings))
            .credentialsProvider(credentials)
            .forcePathStyle(settings.pathStyle())
            // every body is already in memory (one part at most), so plain requests with the checksum in a header:
            // no aws-chunked framing, which S3-compatible servers support unevenly and which signs each 128 KiB
            // chunk separately over http:// (a third more client CPU for a 256 MiB write)
            .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
            // the JDK's HttpURLConnection: no Netty or Apache HttpClient in the jobs' jars
            .httpClientBuilder(UrlConnectionHttpClient.builder()
                .connectionTimeout(limits.connectTimeout())
                .socketTimeout(limits.socketTimeout()))
            // the SDK's standard strategy: exponential backoff with jitter on throttling, 5xx and I/O errors
            .overrideConfiguration(o -> o.retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(limits.maxAttempts()).build()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        } else {
            // a bucket outside the resolved region (often the us-east-1 fallback) is followed instead of failing
            builder.crossRegionAccessEnabled(true);
        }
        return builder;
    }

    /** --s3-region, else the SDK's chain (AWS_REGION, profile, instance metadata), else us-east-1 like the AWS CLI. */
    static Region region(S3Settings settings) {
        if (settings.region() != null) return Region.of(settings.region());
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            return Region.US_EAST_1;
        }
    }
}
