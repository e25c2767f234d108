package io.scoreline.core.store;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
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

    /** Accepts the labels users know from the AWS CLI ("aws:kms"), in any case. */
    public static final class Converter implements ITypeConverter<SseMode> {
        @Override
        public SseMode convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(m -> m.label.equals(v) || m.name().equalsIgnoreCase(v)).findFirst()
                .orElseThrow(() -> new TypeConversionException("'" + value + "' is not an SSE mode: use none, aes256 or aws:kms"));
        }
    }
}
