package io.scoreline.serve;

/**
 * More carrier threads for the virtual threads that answer requests than the JDK's default of one per core. A carrier
 * is an OS thread: when the OS deschedules it (the machine is busy, or the scoring threads hold the cores), every
 * virtual thread queued on it waits, and a request whose model call timed out cannot send its fallback answer. With
 * two carriers on a 2-core machine at load average 17, answers came up to 536 ms after arrival on a 100 ms deadline;
 * with eight, the same test's worst was 84 ms (docs/serve.md, "The deadline"). A -D flag given by the user wins.
 */
final class VirtualThreads {
    static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    private VirtualThreads() {}

    static void carriers() {
        if (System.getProperty(PARALLELISM) == null) {
            System.setProperty(PARALLELISM, Integer.toString(Math.max(8, 4 * Runtime.getRuntime().availableProcessors())));
        }
    }
}
