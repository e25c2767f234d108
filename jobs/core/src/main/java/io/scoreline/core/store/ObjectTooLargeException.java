package io.scoreline.core.store;

/** An object is bigger than the caller is willing to hold in memory; retrying cannot help. */
public class ObjectTooLargeException extends StoreException {
    public ObjectTooLargeException(String key, long size, long limit) {
        super("'" + key + "' is " + size + " bytes, more than the limit of " + limit, null);
    }
}
