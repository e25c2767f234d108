package io.scoreline.publish;

import io.scoreline.core.run.LastGood;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.PreconditionFailedException;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a history snapshot the backend's "latest": copy the immutable snapshot to latest/predictions, then write
 * latest/manifest.json conditionally, so two publishers cannot both win. latest/manifest.json is the one truth: a
 * publisher that loses the race puts back the copy of what the winner's manifest names before it gives up, and a
 * reader that finds the copy and the manifest out of step still has manifest.snapshot, which always matches.
 */
final class Promotion {
    private final ObjectStore store;

    Promotion(ObjectStore store) {
        this.store = store;
    }

    Optional<StoredJson.Read<LatestManifest>> latest() {
        return StoredJson.read(store, Layout.LATEST_MANIFEST, LatestManifest.class);
    }

    void promote(LatestManifest manifest, String latestEtag) {
        // refuse early when someone already moved latest/ on: the copy below would overwrite what they published
        if (!Objects.equals(latestEtag, latest().map(StoredJson.Read::etag).orElse(null))) {
            throw new PreconditionFailedException(store.describe(), Layout.LATEST_MANIFEST);
        }
        store.copy(manifest.snapshot(), Layout.LATEST_PREDICTIONS, manifest.sha256());
        try {
            StoredJson.replace(store, Layout.LATEST_MANIFEST, manifest, latestEtag);
        } catch (PreconditionFailedException lost) {
            repairCopy();
            throw lost;
        }
    }

    /** Puts back in latest/predictions the snapshot the current manifest names (after a lost race or a crash). */
    void repairCopy() {
        for (int attempt = 0; attempt < 3; attempt++) {
            var before = latest();
            if (before.isEmpty()) return;
            LatestManifest current = before.get().value();
            store.copy(current.snapshot(), Layout.LATEST_PREDICTIONS, current.sha256());
            // a third publisher may have moved on meanwhile: then its copy, not ours, must stay
            if (Objects.equals(before.get().etag(), latest().map(StoredJson.Read::etag).orElse(null))) return;
        }
    }

    void recordLastGood(LatestManifest m) {
        StoredJson.write(store, Layout.LAST_GOOD,
            new LastGood(m.runId(), m.snapshot(), m.sha256(), m.count(), m.bytes(), m.model(), m.modelVersion(),
                m.dataIntervalEnd(), m.publishedAt()));
    }
}
