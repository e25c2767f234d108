package io.scoreline.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.store.Digests;
import io.scoreline.core.store.FileStore;
import java.nio.file.Path;
import java.util.ArrayList;
import io.scoreline.core.run.Progress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming merge of a run's predictions into the previous snapshot, by id. */
class SnapshotMergeTest {
    private static final String BASE = "runs/r1/snapshot.ndjson.gz";
    private static final String RUN = "runs/r2/predictions.ndjson.gz";
    private static final String OUT = "runs/r2/snapshot.ndjson.gz";
    @TempDir Path root;
    private FileStore store;
    private SnapshotMerge merge;

    @BeforeEach
    void open() {
        store = new FileStore(root);
        merge = new SnapshotMerge(new PredictionCheck(null, null), new Progress("merged", -1, Progress.OFF, System::nanoTime, line -> {}));
    }

    /** A prediction "id@hour=value": updated at that hour of 2026-01-01. */
    private static ObjectNode p(String spec) {
        String[] idRest = spec.split("@");
        String[] hourValue = idRest[1].split("=");
        return Json.MAPPER.createObjectNode().put("id", idRest[0])
            .put("updated_at", "2026-01-01T" + hourValue[0] + ":00:00Z")
            .put("prediction", Double.parseDouble(hourValue[1])).put("model", "m").put("model_version", "v1");
    }

    private OutputFile file(String key, String... specs) {
        return NdjsonWriter.write(store, key, w -> {
            for (String s : specs) w.write(p(s));
        });
    }

    private List<String> merged() throws Exception {
        List<String> out = new ArrayList<>();
        try (NdjsonReader reader = new NdjsonReader(store, OUT)) {
            for (String line; (line = reader.next()) != null; ) {
                JsonNode n = Json.MAPPER.readTree(line);
                out.add(n.get("id").asText() + "@" + n.get("updated_at").asText().substring(11, 13) + "=" + n.get("prediction").asText());
            }
        }
        return out;
    }

    private OutputFile mergeInto(OutputFile base, OutputFile run) {
        return merge.write(store, new SnapshotMerge.Inputs(base == null ? null : base.key(), base == null ? null : base.sha256(),
            List.of(run)), OUT);
    }

    @Test
    void withoutBaseTheSnapshotIsTheRun() throws Exception {
        OutputFile out = mergeInto(null, file(RUN, "a@10=1.0", "b@10=2.0"));
        assertEquals(List.of("a@10=1.0", "b@10=2.0"), merged());
        assertEquals(2, out.records());
        assertEquals(2, merge.added());
        assertEquals(0, merge.updated());
        assertEquals(0, merge.baseCount());
    }

    @Test
    void newIdsAreAddedAndSameIdsReplaced() throws Exception {
        OutputFile base = file(BASE, "a@09=1.0", "b@09=1.0", "d@09=1.0");
        OutputFile out = mergeInto(base, file(RUN, "b@10=2.0", "c@10=2.0", "e@10=2.0"));
        assertEquals(List.of("a@09=1.0", "b@10=2.0", "c@10=2.0", "d@09=1.0", "e@10=2.0"), merged());
        assertEquals(5, out.records());
        assertEquals(2, merge.added());
        assertEquals(1, merge.updated());
        assertEquals(3, merge.baseCount());
        assertEquals(0, merge.keptNewerBase());
        assertEquals(Digests.sha256Hex(store.read(OUT, 1 << 20).orElseThrow().bytes()), out.sha256());
    }

    @Test
    void baseWithNewerUpdateTimeIsKept() throws Exception {
        OutputFile base = file(BASE, "a@09=1.0", "b@11=1.0");
        mergeInto(base, file(RUN, "b@10=2.0"));
        assertEquals(List.of("a@09=1.0", "b@11=1.0"), merged());
        assertEquals(1, merge.keptNewerBase());
        assertEquals(0, merge.updated());
        assertEquals(0, merge.added());
    }

    @Test
    void onATieTheRunWins() throws Exception {
        mergeInto(file(BASE, "b@10=1.0"), file(RUN, "b@10=2.0"));
        assertEquals(List.of("b@10=2.0"), merged());
        assertEquals(1, merge.updated());
    }

    @Test
    void emptyRunKeepsTheBase() throws Exception {
        mergeInto(file(BASE, "a@09=1.0", "b@09=1.0"), file(RUN));
        assertEquals(List.of("a@09=1.0", "b@09=1.0"), merged());
        assertEquals(2, merge.baseCount());
    }

    @Test
    void unsortedRunIsRefusedAndNothingIsWritten() {
        OutputFile run = file(RUN, "b@10=2.0", "a@10=2.0");
        JobException e = assertThrows(JobException.class, () -> mergeInto(null, run));
        assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("not strictly increasing ('b' then 'a')") && e.getMessage().contains("run's predictions"),
            e.getMessage());
        assertFalse(store.exists(OUT));
    }

    @Test
    void duplicateIdsAreRefused() {
        JobException e = assertThrows(JobException.class, () -> mergeInto(null, file(RUN, "a@10=2.0", "a@11=2.0")));
        assertTrue(e.getMessage().contains("not strictly increasing"), e.getMessage());
    }

    @Test
    void unsortedBaseIsRefused() {
        OutputFile base = file(BASE, "c@09=1.0", "a@09=1.0");
        JobException e = assertThrows(JobException.class, () -> mergeInto(base, file(RUN, "b@10=2.0")));
        assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("previous snapshot"), e.getMessage());
        assertFalse(store.exists(OUT));
    }

    @Test
    void runNotMatchingItsManifestShaIsRefused() {
        OutputFile run = file(RUN, "a@10=2.0");
        OutputFile wrong = new OutputFile(run.key(), run.records(), run.bytes(), Digests.sha256Hex(new byte[0]));
        JobException e = assertThrows(JobException.class, () -> mergeInto(null, wrong));
        assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("'" + RUN + "' does not match its manifest"), e.getMessage());
        assertFalse(store.exists(OUT));
    }

    @Test
    void baseNotMatchingItsShaIsRefused() {
        OutputFile base = file(BASE, "a@09=1.0");
        OutputFile wrong = new OutputFile(base.key(), base.records(), base.bytes(), Digests.sha256Hex(new byte[0]));
        JobException e = assertThrows(JobException.class, () -> mergeInto(wrong, file(RUN, "b@10=2.0")));
        assertTrue(e.getMessage().contains("'" + BASE + "' does not match its manifest"), e.getMessage());
        assertFalse(store.exists(OUT));
    }

    @Test
    void unreadableUpdateTimeIsRefusedNotACrash() {
        OutputFile run = NdjsonWriter.write(store, RUN, w -> w.write(p("a@10=2.0").put("updated_at", "yesterday")));
        JobException e = assertThrows(JobException.class, () -> mergeInto(null, run));
        assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
        assertTrue(e.getMessage().startsWith("line 1 of the run's predictions: updated_at \"yesterday\" for id 'a'"), e.getMessage());
        OutputFile base = NdjsonWriter.write(store, BASE, w -> w.write(p("a@09=1.0").put("updated_at", 12)));
        e = assertThrows(JobException.class, () -> mergeInto(base, file(RUN, "a@10=2.0")));
        assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("previous snapshot"), e.getMessage());
        assertFalse(store.exists(OUT));
    }

    @Test
    void everyRunPredictionIsChecked() {
        OutputFile run = NdjsonWriter.write(store, RUN, w -> w.write(p("a@10=2.0").put("prediction", -1.0)));
        var bounded = new SnapshotMerge(new PredictionCheck(0.0, 1.0), new Progress("merged", -1, Progress.OFF, System::nanoTime, line -> {}));
        JobException e = assertThrows(JobException.class,
            () -> bounded.write(store, new SnapshotMerge.Inputs(null, null, List.of(run)), OUT));
        assertTrue(e.getMessage().startsWith("line 1 of the run's predictions: prediction -1.0 for id 'a' is below"), e.getMessage());
        assertFalse(store.exists(OUT));
    }

    /** Predictions with an invalid UTF-8 id were not written by Scoreline: refused (exit 6), never merged as "bad-\uFFFD". */
    @Test
    void aPredictionLineOfInvalidUtf8IsRefusedNotMerged() {
        byte[] line = p("bad-?@10=1.0").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        line[11] = (byte) 0xff;  // the '?' of {"id":"bad-?"
        OutputFile run = NdjsonWriter.write(store, RUN, w -> w.writeRaw(line));
        JobException e = assertThrows(JobException.class, () -> mergeInto(null, run));
        assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("is not valid UTF-8"), e.getMessage());
    }

    @Test
    void partitionsMergeByIdIntoTheBaseAsOneRunWould() throws Exception {
        OutputFile base = file(BASE, "a@09=1.0", "c@09=1.0", "e@09=1.0");
        OutputFile part0 = file("runs/r2/parts/0/predictions.ndjson.gz", "b@10=2.0", "e@10=2.0");
        OutputFile part1 = file("runs/r2/parts/1/predictions.ndjson.gz", "a@10=2.0", "d@10=2.0");
        OutputFile part2 = file("runs/r2/parts/2/predictions.ndjson.gz");
        merge.write(store, new SnapshotMerge.Inputs(base.key(), base.sha256(), List.of(part0, part1, part2)), OUT);
        assertEquals(List.of("a@10=2.0", "b@10=2.0", "c@09=1.0", "d@10=2.0", "e@10=2.0"), merged());
        assertEquals(2, merge.added());
        assertEquals(2, merge.updated());
    }

    @Test
    void anIdInTwoPartitionsComesOnceTheNewestVersion() throws Exception {
        OutputFile part0 = file("runs/r2/parts/0/predictions.ndjson.gz", "a@10=1.0", "b@12=1.0");
        OutputFile part1 = file("runs/r2/parts/1/predictions.ndjson.gz", "a@11=2.0", "b@12=2.0");
        OutputFile part2 = file("runs/r2/parts/2/predictions.ndjson.gz", "a@09=3.0", "b@11=3.0", "c@10=3.0");
        merge.write(store, new SnapshotMerge.Inputs(null, null, List.of(part0, part1, part2)), OUT);
        assertEquals(List.of("a@11=2.0", "b@12=1.0", "c@10=3.0"), merged(), "newer wins; on a tie, the lower partition");
        assertEquals(3, merge.added());
    }

    @Test
    void aPartThatDoesNotMatchItsManifestIsRefused() {
        OutputFile part0 = file("runs/r2/parts/0/predictions.ndjson.gz", "a@10=1.0");
        OutputFile part1 = file("runs/r2/parts/1/predictions.ndjson.gz", "b@10=1.0");
        file(part1.key(), "b@10=3.0");  // rewritten after predict recorded it
        JobException e = assertThrows(JobException.class,
            () -> merge.write(store, new SnapshotMerge.Inputs(null, null, List.of(part0, part1)), OUT));
        assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
        assertTrue(e.getMessage().startsWith("'runs/r2/parts/1/predictions.ndjson.gz' does not match its manifest"), e.getMessage());
        assertFalse(store.exists(OUT));
    }

    /** The snapshot's id and time are read from the bytes when a line starts as Scoreline writes it, else parsed: the same merge. */
    @Test
    void snapshotLinesOfEveryShapeMergeAlike() throws Exception {
        String rest = ",\"prediction\":1.0,\"model\":\"m\",\"model_version\":\"v1\"}";
        OutputFile base = NdjsonWriter.write(store, BASE, w -> {
            w.writeRaw("{\"id\":\"a\\\"q\",\"updated_at\":\"2026-01-01T11:00:00Z\"" + rest);  // an escape in the id
            w.writeRaw("{\"id\":\"b\",\"updated_at\":null" + rest);
            w.writeRaw("{\"updated_at\":\"2026-01-01T11:00:00Z\",\"id\":\"c\"" + rest);  // another field order
            w.writeRaw("{\"id\":\"d\",\"updated_at\":\"2026-01-01T10:59:59.5Z\"" + rest);
            w.writeRaw("{\"id\":\"f\",\"updated_at\":\"2026-01-01T11:00:00Z\"" + rest);
            w.writeRaw("{\"id\":\"\u00e9\",\"updated_at\":\"2026-01-01T11:00:00Z\"" + rest);  // not ASCII
        });
        mergeInto(base, file(RUN, "a\"q@10=2.0", "b@10=2.0", "c@10=2.0", "d@11=2.0", "e@10=2.0", "f@11=2.0", "\u00e9@10=2.0"));
        assertEquals(List.of("a\"q@11=1.0", "b@10=2.0", "c@11=1.0", "d@11=2.0", "e@10=2.0", "f@11=2.0", "\u00e9@11=1.0"), merged());
        assertEquals(3, merge.keptNewerBase());
        assertEquals(3, merge.updated());
        assertEquals(1, merge.added());
    }
}
