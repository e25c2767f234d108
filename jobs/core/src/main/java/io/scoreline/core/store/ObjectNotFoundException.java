package io.scoreline.core.store;

/** The key has no object; callers decide whether that is an error and which. */
public class ObjectNotFoundException extends StoreException {
    private final String key;

    public ObjectNotFoundException(String where, String key) {
        super("no object '" + key + "' in " + where, null);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
