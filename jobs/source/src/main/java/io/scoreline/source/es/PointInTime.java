package io.scoreline.source.es;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open point-in-time: a consistent view of the index for the whole read, whatever is indexed meanwhile. The server
 * may hand back a new id with any page; every id seen is closed once at the end, on success and failure alike.
 */
final class PointInTime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PointInTime.class);

    private final Cluster cluster;
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final boolean shared;
    private volatile String latest;

    private PointInTime(Cluster cluster, String id, boolean shared) {
        this.cluster = cluster;
        this.latest = id;
        this.shared = shared;
        ids.add(id);
    }

    static PointInTime open(Cluster cluster, String index) {
        return new PointInTime(cluster, openId(cluster, index, PageRequests.KEEP_ALIVE), false);
    }

    /** Opens a point-in-time that other jobs read too: nobody closes it, it expires after {@code keepAlive} unread. */
    static String openId(Cluster cluster, String index, String keepAlive) {
        return cluster.call("open a point-in-time on '" + index + "'",
            client -> client.openPointInTime(o -> o.index(index).keepAlive(k -> k.time(keepAlive))).id());
    }

    /** A point-in-time opened by {@link #openId} that this job now closes. */
    static PointInTime owned(Cluster cluster, String id) {
        return new PointInTime(cluster, id, false);
    }

    /** A point-in-time another job opened (a run's partitions share one): read, never closed here. */
    static PointInTime shared(Cluster cluster, String id) {
        return new PointInTime(cluster, id, true);
    }

    String id() {
        return latest;
    }

    void seen(String id) {
        if (id != null && ids.add(id)) latest = id;
    }

    /** Best effort and never throws: a close that fails must not hide why the read failed; the keep-alive ends it anyway. */
    @Override
    public void close() {
        if (shared) return;
        for (String id : ids) {
            try {
                cluster.callOnce("close the point-in-time", client -> client.closePointInTime(c -> c.id(id)));
            } catch (RuntimeException e) {
                log.warn("could not close the point-in-time (it expires by itself within {}): {}", PageRequests.KEEP_ALIVE, e.getMessage());
            }
        }
        ids.clear();
    }
}
