package io.scoreline.publish;

import io.scoreline.core.run.LastGood;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.ObjectStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * Makes a history snapshot the backend's "latest": copy the immutable snapshot to latest/predictions, then write
 * latest/manifest.json (conditionally, so two publishers cannot both win). A reader that finds the copy and the
 * manifest out of step during that instant still has manifest.snapshot, which always matches manifest.sha256.
 */
final class Promotion {
    private final ObjectStore store;
    private final Duration pauseBeforeManifest;
    private final PrintWriter err;

    Promotion(ObjectStore store, Duration pauseBeforeManifest, PrintWriter err) {
        this.store = store;
        this.pauseBeforeManifest = pauseBeforeManifest;
        this.err = err;
    }

    Optional<StoredJson.Read<LatestManifest>> latest() {
        return StoredJson.read(store, Layout.LATEST_MANIFEST, LatestManifest.class);
    }

    void promote(LatestManifest manifest, String latestEtag) {
        store.copy(manifest.snapshot(), Layout.LATEST_PREDICTIONS);
        pauseForCrashTests();
        StoredJson.replace(store, Layout.LATEST_MANIFEST, manifest, latestEtag);
    }

    void recordLastGood(LatestManifest m) {
        StoredJson.write(store, Layout.LAST_GOOD,
            new LastGood(m.runId(), m.snapshot(), m.sha256(), m.count(), m.bytes(), m.model(), m.modelVersion(),
                m.dataIntervalEnd(), m.publishedAt()));
    }

    /** Lets a test kill the process at the one instant where latest/ holds a new copy under an old manifest. */
    private void pauseForCrashTests() {
        if (pauseBeforeManifest == null || pauseBeforeManifest.isZero()) return;
        err.println("publish: paused before writing the manifest");
        err.flush();
        try {
            Thread.sleep(pauseBeforeManifest);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
