package io.scoreline.core.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.Supplier;

/** Runs a job's command in-process, as its jar would, with a given environment; captures exit code, stdout and stderr. */
public record InProcess(int exitCode, String out, String err) {

    public static InProcess run(Supplier<Object> command, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            int code = JobRunner.run(command, args, env, new PrintWriter(out, true), new PrintWriter(err, true));
            return new InProcess(code, out.toString(), err.toString());
        } finally {
            System.clearProperty("org.slf4j.simpleLogger.log.io.scoreline"); // --verbose sets it for the whole JVM
        }
    }

    /** The stderr lines, for "one line, no stack trace" checks. */
    public java.util.List<String> errLines() {
        return err.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
