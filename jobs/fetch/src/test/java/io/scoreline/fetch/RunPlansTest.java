package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Partition;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.RunPlan;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.run.Window;
import io.scoreline.core.store.FileStore;
import io.scoreline.source.DocumentSink;
import io.scoreline.source.DocumentSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The run's plan: written once, create-only; a partition that loses the race closes its own shared view and adopts the winner's. */
class RunPlansTest {
    private static final RunId RUN = RunId.parse("r1");
    private static final Instant END = Instant.parse("2026-01-01T11:00:00Z");
    @TempDir Path dir;

    /** A source with a shared view (as Elasticsearch's point-in-time) that records what it opened and closed. */
    private static final class Views implements DocumentSource {
        final List<String> opened = new ArrayList<>(), closed = new ArrayList<>();
        Runnable beforeOpenReturns = () -> { };

        @Override
        public String describe() {
            return "views";
        }

        @Override
        public void read(Window window, DocumentSink sink) {}

        @Override
        public String openShared() {
            String id = "pit-" + opened.size();
            opened.add(id);
            beforeOpenReturns.run();
            return id;
        }

        @Override
        public void closeShared(String id) {
            closed.add(id);
        }
    }

    private static RunPlans.Proposal proposal(int index, Instant end) {
        return new RunPlans.Proposal(RUN, new Partition(index, 3), "incremental", "updated_at", end, new Window(null, end.minusSeconds(30)), 2);
    }

    @Test
    void theFirstPartitionPlansAndTheOthersAdopt() {
        var store = new FileStore(dir);
        var views = new Views();
        RunPlan first = RunPlans.settle(store, proposal(0, END), views, LoggerFactory.getLogger("test"));
        RunPlan second = RunPlans.settle(store, proposal(2, END.plusSeconds(60)), views, LoggerFactory.getLogger("test"));
        assertEquals(first, second);
        assertEquals(new Window(null, END.minusSeconds(30)), second.window());
        assertEquals("pit-0", second.pointInTime());
        assertEquals(2, second.slices());
        assertEquals(List.of("pit-0"), views.opened, "one point-in-time for the whole run");
        assertEquals(first, StoredJson.value(store, Layout.plan(RUN), RunPlan.class).orElseThrow());
    }

    @Test
    void aPartitionThatLosesTheRaceClosesItsViewAndAdoptsTheWinner() {
        var store = new FileStore(dir);
        var views = new Views();
        var winner = new RunPlan("winner", RUN.value(), 3, "incremental", "updated_at", END, new Window(null, END), "pit-w", 2, END);
        views.beforeOpenReturns = () -> StoredJson.write(store, Layout.plan(RUN), winner);  // another partition wrote first
        RunPlan adopted = RunPlans.settle(store, proposal(1, END.plusSeconds(5)), views, LoggerFactory.getLogger("test"));
        assertEquals(winner, adopted);
        assertEquals(List.of("pit-0"), views.closed);
        assertNotEquals("pit-0", adopted.pointInTime());
    }
}
