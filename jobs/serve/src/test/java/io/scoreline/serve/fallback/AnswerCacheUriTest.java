package io.scoreline.serve.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import org.junit.jupiter.api.Test;

class AnswerCacheUriTest {
    @Test
    void aPasswordComesFromItsOwnOptionNeverFromTheUrl() {
        var e = assertThrows(JobException.class, () -> AnswerCache.uri("redis://:hunter2@cache:6379", null, null));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());

        var uri = AnswerCache.uri("rediss://cache:6380/2", "app", "hunter2");
        assertTrue(uri.isSsl());
        assertEquals(2, uri.getDatabase());
        assertFalse(uri.toString().contains("hunter2"), uri.toString());
        assertEquals(ExitCode.USAGE, assertThrows(JobException.class, () -> AnswerCache.uri("http://cache", null, null)).exitCode());
    }
}
