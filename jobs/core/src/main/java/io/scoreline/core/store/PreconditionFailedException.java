package io.scoreline.core.store;

/** Someone else wrote the object since it was read: another publisher is running. */
public class PreconditionFailedException extends StoreException {
    public PreconditionFailedException(String where, String key) {
        super("'" + key + "' in " + where + " changed while this job was running (another publish at the same time?);"
            + " rerun when the other one has finished", null);
    }
}
