package io.scoreline.predict;

import io.scoreline.core.records.Document;
import java.nio.charset.StandardCharsets;

/** The lines of a slice that reach the scorer, in line order: each one's row, and its id and time as bytes or as a document. */
final class SliceRows {
    final double[][] rows;
    final int[] line, keyStart, idLength, timeLength;
    final Document[] docs;  // for lines read as a whole tree
    final Bytes keys;
    int size;

    SliceRows(int n) {
        rows = new double[n][];
        line = new int[n];
        keyStart = new int[n];
        idLength = new int[n];
        timeLength = new int[n];
        docs = new Document[n];
        keys = new Bytes(n * 48);
    }

    void add(int i, double[] row, byte[] id, int idOff, int idLen, byte[] time, int timeOff, int timeLen) {
        rows[size] = row;
        keyStart[size] = keys.size();
        idLength[size] = idLen;
        timeLength[size] = timeLen;
        keys.add(id, idOff, idLen);
        keys.add(time, timeOff, timeLen);
        line[size++] = i;
    }

    void add(int i, double[] row, Document doc) {
        rows[size] = row;
        docs[size] = doc;
        line[size++] = i;
    }

    String id(int v) {
        return docs[v] != null ? docs[v].id() : new String(keys.data(), keyStart[v], idLength[v], StandardCharsets.ISO_8859_1);
    }
}
