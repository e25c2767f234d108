package io.scoreline.core.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.store.Digests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Members that carry their length are read back in parallel, in order; any other gzip is read as GZIPInputStream reads it. */
class MemberInflatingInputStreamTest {
    private static final int B = ParallelGzipOutputStream.BLOCK;

    private static byte[] input(int size) {
        return ParallelGzipOutputStreamTest.input(size);
    }

    private static byte[] ours(byte[] input) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gzip = new ParallelGzipOutputStream(out, Deflater.BEST_SPEED)) {
            gzip.write(input);
            gzip.finish();
        }
        return out.toByteArray();
    }

    private static byte[] plainGzip(byte[] input) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(input);
        }
        return out.toByteArray();
    }

    private static byte[] read(byte[] gz) throws IOException {
        try (InputStream in = new MemberInflatingInputStream(new ByteArrayInputStream(gz))) {
            var out = new ByteArrayOutputStream();
            byte[] buffer = new byte[7919];  // a read size that straddles member ends
            for (int n; (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n);
            return out.toByteArray();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000, B - 1, B, B + 1, 9 * B + B / 2})
    void membersRoundTrip(int size) throws IOException {
        byte[] input = input(size);
        assertArrayEquals(input, read(ours(input)));
    }

    @Test
    void everyMemberAnnouncesItsLengthAndTheyTileTheFile() throws IOException {
        byte[] gz = ours(input(3 * B + 5));
        int at = 0, members = 0;
        while (at < gz.length) {
            long length = GzipMember.length(Arrays.copyOfRange(gz, at, at + GzipMember.HEADER));
            assertTrue(length > 0, "member " + members + " has its length");
            at += (int) length;
            members++;
        }
        assertEquals(gz.length, at);
        assertEquals(4, members);
    }

    @Test
    void anOldStyleFileStillReads() throws IOException {
        byte[] input = input(2 * B + 3);
        assertArrayEquals(input, read(plainGzip(input)));
        byte[] second = input(1000);  // two plain members, as `cat a.gz b.gz` makes
        assertArrayEquals(concat(input, second), read(concat(plainGzip(input), plainGzip(second))));
    }

    @Test
    void aPlainMemberAfterOursIsReadToo() throws IOException {
        byte[] first = input(2 * B + 3), second = input(5000);
        assertArrayEquals(concat(first, second), read(concat(ours(first), plainGzip(second))));
    }

    @Test
    void aTruncatedMemberIsRefused() throws IOException {
        byte[] gz = ours(input(3 * B));
        IOException e = assertThrows(IOException.class, () -> read(Arrays.copyOf(gz, gz.length - 100)));
        assertTrue(e.getMessage().contains("is cut short"), e.getMessage());
        // found by the read that reaches it, not when the stream is opened: an unreadable object, as GZIPInputStream has it
        byte[] small = ours(input(1000));
        var in = new MemberInflatingInputStream(new ByteArrayInputStream(Arrays.copyOf(small, small.length - 1)));
        assertThrows(java.io.EOFException.class, in::readAllBytes);
    }

    @Test
    void aCorruptMemberIsRefused() throws IOException {
        byte[] gz = ours(input(3 * B));
        int second = (int) GzipMember.length(gz);
        byte[] data = gz.clone();
        data[second + GzipMember.HEADER + 100] ^= 0x55;
        IOException e = assertThrows(IOException.class, () -> read(data));
        assertTrue(e instanceof ZipException && e.getMessage().contains("gzip member at byte " + second + " is corrupt"), e.getMessage());
        byte[] crc = gz.clone();
        crc[second + (int) GzipMember.length(Arrays.copyOfRange(gz, second, second + GzipMember.HEADER)) - 8] ^= 1;
        e = assertThrows(IOException.class, () -> read(crc));
        assertTrue(e.getMessage().contains("CRC-32 mismatch"), e.getMessage());
        byte[] length = gz.clone();
        length[GzipMember.HEADER - 4] ^= 1;  // the first member now claims a byte more or less than it has
        assertThrows(ZipException.class, () -> read(length));
    }

    @Test
    void notGzipAtAllIsRefusedAtOnce() {
        assertThrows(ZipException.class, () -> new MemberInflatingInputStream(new ByteArrayInputStream("{\"id\":1}\n".getBytes())));
        assertThrows(IOException.class, () -> new MemberInflatingInputStream(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void aDigestUnderneathCoversEveryStoredByte() throws IOException {
        byte[] gz = ours(input(4 * B + 7));
        var digest = Digests.sha256();
        try (InputStream in = new MemberInflatingInputStream(new DigestInputStream(new ByteArrayInputStream(gz), digest))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertEquals(Digests.sha256Hex(gz), Digests.hex(digest.digest()));
    }
}
