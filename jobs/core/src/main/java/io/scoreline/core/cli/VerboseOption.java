package io.scoreline.core.cli;

import picocli.CommandLine.Option;

/** Declares --verbose so picocli accepts it; {@link JobRunner} reads it before parsing to set up logging. */
public final class VerboseOption {
    @Option(names = "--verbose", description = "Debug logs and stack traces on errors.")
    boolean verbose;
}
