package io.scoreline.core.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** --s3-sse: how S3 encrypts the objects this job writes. NONE sends no header, so the bucket's default applies. */
public enum SseMode {
    NONE("none", null),
    AES256("aes256", ServerSideEncryption.AES256),
    AWS_KMS("aws:kms", ServerSideEncryption.AWS_KMS);

    private final String label;
    private final ServerSideEncryption header;

    SseMode(String label, ServerSideEncryption header) {
        this.label = label;
        this.header = header;
    }

    ServerSideEncryption header() {
        return header;
    }

    @Override
    public String toString() {
        return label;
    }

    /** The mode a user typed: the labels known from the AWS CLI ("aws:kms") or the names, in any case. */
    public static Optional<SseMode> parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.label.equals(v) || m.name().equalsIgnoreCase(v)).findFirst();
    }
}
