package io.scoreline.core.records;

/** A file a job wrote: where, how many records, how many bytes, and the sha256 of the stored bytes. */
public record OutputFile(String key, long records, long bytes, String sha256) {}
