package io.scoreline.predict;

import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.spill.LineSpool;
import java.nio.charset.StandardCharsets;

/**
 * What a slice of a chunk became, in line order: prediction lines already written as bytes, and lines kept as
 * text (a prediction serialized as a record, or a rejection).
 */
final class ScoredSlice {
    final Bytes lines;
    /** Per line: where its bytes end in {@link #lines}, when it has no text. */
    final int[] ends;
    final String[] text;
    final boolean[] rejected;

    ScoredSlice(int size) {
        lines = new Bytes(size * 192);
        ends = new int[size];
        text = new String[size];
        rejected = new boolean[size];
    }

    int size() {
        return ends.length;
    }

    /** Predictions to the output, rejections to the spool, in line order. */
    void writeTo(NdjsonWriter out, LineSpool rejections) {
        int runStart = 0, runEnd = 0, runLines = 0;
        for (int i = 0; i < ends.length; i++) {
            if (text[i] == null) {
                runEnd = ends[i];
                runLines++;
                continue;
            }
            if (runLines > 0) out.writeLines(lines.data(), runStart, runEnd - runStart, runLines);
            runStart = runEnd;
            runLines = 0;
            if (rejected[i]) rejections.add(text[i].getBytes(StandardCharsets.UTF_8));
            else out.writeRaw(text[i]);
        }
        if (runLines > 0) out.writeLines(lines.data(), runStart, runEnd - runStart, runLines);
    }
}
