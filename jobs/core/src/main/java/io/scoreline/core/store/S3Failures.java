package io.scoreline.core.store;

import io.scoreline.core.error.Causes;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK failures into one-line {@link StoreException}s (exit code 4) that say what to fix. Messages are built
 * from fixed text, the bucket, the key and the endpoint only: never from credentials or request headers.
 */
final class S3Failures {
    static final String CHAIN = "the AWS default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE,"
        + " web identity (AWS_WEB_IDENTITY_TOKEN_FILE) or the instance/container role";
    private static final Set<String> BAD_CREDENTIALS = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
        "InvalidToken", "ExpiredToken", "TokenRefreshRequired", "InvalidSecurity");

    private final S3Location location;
    private final String endpoint;

    S3Failures(S3Location location, String endpoint) {
        this.location = location;
        this.endpoint = endpoint;
    }

    StoreException of(String action, String key, SdkException e) {
        String where = "'" + key + "' in " + location.describe();
        if (e instanceof S3Exception s3) return refused(action, where, s3);
        if (unreachable(e)) {
            return new StoreException("cannot reach the S3 endpoint " + endpoint + " to " + action + " " + where
                + " (" + Causes.describe(e) + "); check --s3-endpoint, AWS_ENDPOINT_URL_S3 and the network", e);
        }
        if (String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            return new StoreException("no AWS credentials found to " + action + " " + where + "; provide them through "
                + CHAIN, e);
        }
        return new StoreException("cannot " + action + " " + where + ": " + e.getMessage(), e);
    }

    /**
     * The store check's failure: what no retry can mend (no such bucket, access refused, no credentials) is a
     * configuration error (exit 2); the rest, an unreachable endpoint above all, stays exit 4.
     */
    JobException check(SdkException e) {
        String bucket = "bucket '" + location.bucket() + "' at " + endpoint;
        if (e instanceof S3Exception s3 && s3.statusCode() == 404) {
            return new JobException(ExitCode.USAGE, bucket + " does not exist: create it or fix --store (SCORELINE_STORE)", e);
        }
        if (e instanceof S3Exception s3 && (s3.statusCode() == 403 || s3.statusCode() == 401)) {
            return new JobException(ExitCode.USAGE, "S3 refused access to " + bucket + " (HTTP " + s3.statusCode()
                + "): check the credentials from " + CHAIN + " and their permissions on the bucket", e);
        }
        if (String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            return new JobException(ExitCode.USAGE, "no AWS credentials found for " + bucket + "; provide them through " + CHAIN, e);
        }
        if (String.valueOf(e.getMessage()).startsWith("Invalid region")) {  // the SDK's, before any request: no retry mends it
            return new JobException(ExitCode.USAGE, "the S3 region is not valid (" + e.getMessage() + "): check --s3-region"
                + " (SCORELINE_S3_REGION) and AWS_REGION", e);
        }
        if (e instanceof S3Exception s3) return refused("check", location.describe(), s3);
        return new StoreException("cannot reach " + location.describe() + " at the S3 endpoint " + endpoint + " ("
            + Causes.describe(e) + "); check --s3-endpoint, AWS_ENDPOINT_URL_S3 and the network", e);
    }

    StoreException io(String action, String key, IOException e) {
        return new StoreException("cannot " + action + " '" + key + "' in " + location.describe() + ": " + Causes.describe(e), e);
    }

    private StoreException refused(String action, String where, S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if ("NoSuchBucket".equals(code)) {
            return new StoreException("bucket '" + location.bucket() + "' does not exist at " + endpoint
                + "; create it or fix --store", e);
        }
        if (code != null && BAD_CREDENTIALS.contains(code)) {
            // S3's own message may echo the access key id: say only which check failed
            return new StoreException("S3 at " + endpoint + " rejected the credentials (" + code + ") while trying to "
                + action + " " + where + "; check " + CHAIN, e);
        }
        if (e.statusCode() == 403) {
            return new StoreException("access denied to " + action + " " + where + " (" + (code == null ? "403" : code)
                + "): the credentials from " + CHAIN + " lack the permission", e);
        }
        // an answer to HEAD has no body, so no code or message: the status alone must say it
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        String detail = message == null ? "" : ": " + message;
        return new StoreException("cannot " + action + " " + where + ": S3 answered " + e.statusCode()
            + (code == null ? "" : " " + code) + detail, e);
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                || t instanceof SocketTimeoutException || t instanceof ApiCallTimeoutException
                || t instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
