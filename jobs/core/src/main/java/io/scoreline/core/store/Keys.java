package io.scoreline.core.store;

import io.scoreline.core.error.JobException;

/** Keys are relative, slash-separated, and never climb out of the store. */
final class Keys {
    private Keys() {}

    static void check(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")
            || key.contains("//") || key.contains("\\") || ("/" + key + "/").contains("/../")
            || ("/" + key + "/").contains("/./")) {
            throw JobException.usage("invalid store key '" + key + "'");
        }
    }
}
