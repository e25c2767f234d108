package io.scoreline.core.run;

import io.scoreline.core.error.JobException;
import io.scoreline.core.store.ObjectStore;
import java.time.Instant;

/**
 * Whether a run is published: the one answer fetch, predict and publish share. Publish writes runs/&lt;run&gt;/publish.json
 * last, once the snapshot, latest/ and state/ are complete; a publish stopped between promoting the run and that
 * manifest has made it public too, since latest/manifest.json names its snapshot. A published run's files are history
 * a backend may be reading: no job rewrites them. {@code manifest} and {@code latest} are null when absent.
 */
public record Publication(RunId run, PublishManifest manifest, LatestManifest latest) {

    public static Publication read(ObjectStore store, RunId run) {
        return read(store, run, StoredJson.value(store, Layout.LATEST_MANIFEST, LatestManifest.class).orElse(null));
    }

    /** The same with latest/manifest.json already read (null: nothing published yet). */
    public static Publication read(ObjectStore store, RunId run, LatestManifest latest) {
        return new Publication(run, StoredJson.value(store, Layout.manifest(run, "publish"), PublishManifest.class).orElse(null),
            latest);
    }

    /** latest/ serves this run, whoever promoted it (publish, rollback, a fallback keeping it). */
    public boolean served() {
        return latest != null && latest.runId().equals(run.value());
    }

    public boolean published() {
        return manifest != null || served();
    }

    /** publish.json finished: every step of the publish is done. */
    public boolean complete() {
        return manifest != null;
    }

    /** When the run was published: its publish.json's time (a publish before that field: when it finished), else latest/'s. */
    public Instant at() {
        if (manifest == null) return latest.publishedAt();
        return manifest.publishedAt() != null ? manifest.publishedAt() : manifest.timing().finishedAt();
    }

    /**
     * For fetch and predict (every partition), before they read or write anything: a published run is refused with
     * exit 2, never retried, since rewriting its input or predictions would change the history behind its snapshot.
     */
    public void checkRewritable() {
        if (!published()) return;
        throw JobException.usage("run " + run + " was published at " + at() + (served() ? " and latest/ serves it" : "")
            + ": its files are history and are not rewritten; start a new run (Airflow: trigger a new run)"
            + (served() ? "" : " or use 'publish.jar rollback --to " + run + "' to serve it again"));
    }
}
