package io.scoreline.core.store;

import io.scoreline.core.error.JobException;
import java.net.URI;

/**
 * How to reach S3: the --s3-* options, validated once. Null region or endpoint means "the SDK decides"
 * (AWS_REGION, the profile, instance metadata; AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL). Holds no credentials:
 * those come from the SDK's default chain when the client is built.
 */
public record S3Settings(String region, URI endpoint, boolean pathStyle, S3Encryption encryption) {
    public static final S3Settings DEFAULTS = new S3Settings(null, null, false, S3Encryption.NONE);

    public S3Settings {
        if (region != null && region.isBlank()) region = null;
        if (encryption == null) encryption = S3Encryption.NONE;
        if (endpoint != null) checkEndpoint(endpoint);
    }

    public S3Settings(String region, URI endpoint, boolean pathStyle, SseMode sse, String kmsKeyId) {
        this(region, endpoint, pathStyle, new S3Encryption(sse, kmsKeyId));
    }

    private static void checkEndpoint(URI endpoint) {
        // user:secret@host would end up in every error message that names the endpoint
        boolean valid = ("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))
            && endpoint.getHost() != null && endpoint.getRawUserInfo() == null
            && endpoint.getRawQuery() == null && endpoint.getRawFragment() == null;
        if (!valid) {
            throw JobException.usage("--s3-endpoint must look like http(s)://host[:port] without credentials, got "
                + (endpoint.getRawUserInfo() == null ? "'" + endpoint + "'" : "a URL with user info"));
        }
    }
}
