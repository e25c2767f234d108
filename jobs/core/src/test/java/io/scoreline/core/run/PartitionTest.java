package io.scoreline.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** --partition i/P: its form, the stable id hash that splits a file source, and where each partition's files live. */
class PartitionTest {

    @Test
    void parsesIOfP() {
        assertEquals(new Partition(2, 4), Partition.parse("2/4"));
        assertEquals(Partition.ONE, Partition.parse("0/1"));
        assertEquals("3/1024", Partition.parse("3/1024").toString());
        assertFalse(Partition.ONE.partitioned());
        assertTrue(Partition.parse("0/2").partitioned());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0/0", "3/2", "2/2", "abc", "", "1", "1/", "/2", "-1/2", "1/2/3", "1 / 2", "0/1025", "99999/100000"})
    void refusesAnythingElseAsAUsageErrorOfOneLine(String value) {
        JobException e = assertThrows(JobException.class, () -> Partition.parse(value));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("invalid partition '" + value.strip() + "'") || e.getMessage().startsWith("invalid partition "),
            e.getMessage());
        assertTrue(e.getMessage().contains("0 <= i < P"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void theIdHashIsPinned() {
        // CRC-32C of the UTF-8 id: a change here would move every id of a running deployment to another partition
        assertEquals(755, Partition.of("123456789", 1000), "CRC-32C's check value 0xE3069283 = 3808858755");
        assertEquals(1, Partition.of("cust-00000", 4));
        assertEquals(2, Partition.of("cust-00001", 4));
        assertEquals(0, Partition.of("", 3));
        assertEquals(Partition.of("é", 7), Partition.of(new String("é".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.UTF_8), 7));
    }

    @Test
    void everyIdBelongsToExactlyOnePartitionAndTheyAreEven() {
        int count = 3, ids = 30_000;
        int[] sizes = new int[count];
        for (int i = 0; i < ids; i++) {
            String id = "cust-%05d".formatted(i);
            int owners = (int) IntStream.range(0, count).filter(p -> new Partition(p, count).owns(id)).count();
            assertEquals(1, owners, id);
            sizes[Partition.of(id, count)]++;
        }
        for (int size : sizes) assertTrue(Math.abs(size - ids / count) < ids / count / 20, java.util.Arrays.toString(sizes));
        assertTrue(Partition.ONE.owns("anything"));
    }

    @Test
    void oneKeepsTodaysLayoutAndPartsLiveUnderParts() {
        RunId run = RunId.parse("r1");
        assertEquals("runs/r1/input.ndjson.gz", Layout.input(run, Partition.ONE));
        assertEquals(Layout.predictions(run), Layout.predictions(run, Partition.ONE));
        assertEquals("runs/r1/fetch.json", Layout.manifest(run, Partition.ONE, "fetch"));
        assertEquals("runs/r1/parts/2/input.ndjson.gz", Layout.input(run, new Partition(2, 3)));
        assertEquals("runs/r1/parts/0/predict.json", Layout.manifest(run, new Partition(0, 3), "predict"));
        assertEquals("runs/r1/parts/1/fetch-rejected.ndjson.gz", Layout.fetchRejected(run, new Partition(1, 3)));
        assertEquals("runs/r1/parts/plan.json", Layout.plan(run));
    }
}
