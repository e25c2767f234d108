package io.scoreline.core.cli;

import io.scoreline.core.error.JobException;
import io.scoreline.core.run.Partition;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** --partition i/P of fetch and predict: which share of a partitioned run this job handles (default 0/1, the whole run). */
public final class PartitionOption {
    @Option(names = "--partition", paramLabel = "i/P", converter = PartitionConverter.class, defaultValue = "0/1",
            description = "Handle partition i of P (0 <= i < P) and write only runs/<run-id>/parts/<i>/; publish merges"
                + " all P. Default: ${DEFAULT-VALUE}, the whole run in runs/<run-id>/.")
    private Partition partition;

    public Partition partition() {
        return partition == null ? Partition.ONE : partition;
    }

    static final class PartitionConverter implements ITypeConverter<Partition> {
        @Override
        public Partition convert(String value) {
            try {
                return Partition.parse(value);
            } catch (JobException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
