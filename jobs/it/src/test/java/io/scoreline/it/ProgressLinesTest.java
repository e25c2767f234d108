package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three jobs report progress on stderr at --progress-interval (flag or SCORELINE_PROGRESS_INTERVAL), quiet by default. */
class ProgressLinesTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void everyJobReportsAtTheIntervalAndAShortRunSaysNothing() throws Exception {
        TestStore store = TestStore.file();
        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 300, T0.minusSeconds(60), 3);
        Map<String, String> often = Jobs.env(store.env(), "SCORELINE_PROGRESS_INTERVAL", "1ms");

        var fetch = Jobs.run(often, "fetch", p.fetchArgs("run-1", T0));
        assertEquals(0, fetch.exit(), fetch.toString());
        List<String> fetched = progress(fetch, "documents read");
        assertTrue(!fetched.isEmpty(), fetch.err());
        assertTrue(fetched.getLast().matches(".* INFO FetchCommand - [\\d,]+ documents read, [\\d,]+/s, \\d+s elapsed"), fetched.getLast());

        var predict = Jobs.run(often, "predict", "--run-id", "run-1", "--model", "churn");
        assertEquals(0, predict.exit(), predict.toString());
        assertTrue(progress(predict, "documents scored").getLast()
            .matches(".* INFO PredictCommand - 300 of 300 documents scored \\(100\\.0%\\), [\\d,]+/s, \\d+s elapsed"), predict.err());

        var publish = p.publish("run-1", "--progress-interval", "1ms");
        assertEquals(0, publish.exit(), publish.toString());
        assertTrue(progress(publish, "documents merged").getLast()
            .matches(".* INFO PublishCommand - [\\d,]+ of 300 documents merged \\([\\d.]+%\\), [\\d,]+/s, (.* left, )?\\d+s elapsed"), publish.err());

        var quiet = p.publish("run-1"); // the default, 10s, is longer than this rerun
        assertEquals(0, quiet.exit(), quiet.toString());
        assertEquals(List.of(), progress(quiet, "elapsed"), quiet.err());
    }

    private static List<String> progress(Jobs.Result r, String what) {
        return r.err().lines().filter(l -> l.contains(what) && l.contains("elapsed")).toList();
    }
}
