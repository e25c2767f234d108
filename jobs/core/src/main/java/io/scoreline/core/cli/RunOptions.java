package io.scoreline.core.cli;

import io.scoreline.core.error.JobException;
import io.scoreline.core.run.RunId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The run a job works on; Airflow passes its own run_id. */
public final class RunOptions {
    // Checked on use rather than by picocli, so that subcommands such as 'predict train' do not need it.
    @Option(names = "--run-id", paramLabel = "ID", converter = RunIdConverter.class,
            description = "Run identity (required): 1-200 characters of [A-Za-z0-9._:+-] (Airflow: {{ run_id }}).")
    private RunId runId;

    public RunId runId() {
        if (runId == null) throw JobException.usage("--run-id is required (Airflow passes {{ run_id }}; from cron, e.g. cron__$(date -u +%FT%TZ))");
        return runId;
    }

    static final class RunIdConverter implements ITypeConverter<RunId> {
        @Override
        public RunId convert(String value) {
            try {
                return RunId.parse(value);
            } catch (JobException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
