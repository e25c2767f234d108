package io.scoreline.testkit;

/**
 * A server the integration tests talk to: the variable that gives its endpoint (testenv/up.sh writes them all), and
 * the image Testcontainers runs when none is given. The images are the versions testenv/ starts without Docker.
 */
public enum Server {
    ELASTICSEARCH_9("Elasticsearch 9", "SCORELINE_IT_ES9_URL", "docker.elastic.co/elasticsearch/elasticsearch:9.5.3"),
    ELASTICSEARCH_8("Elasticsearch 8", "SCORELINE_IT_ES8_URL", "docker.elastic.co/elasticsearch/elasticsearch:8.19.21"),
    S3("S3 server", "SCORELINE_IT_S3_ENDPOINT", "adobe/s3mock:5.2.0"),
    REDIS("Redis", "SCORELINE_IT_REDIS_URL", "redis:7.0.15");

    /** The bucket every S3 test works in: SCORELINE_IT_S3_BUCKET, else this one. */
    public static final String DEFAULT_BUCKET = "scoreline-it";

    private final String title;
    private final String variable;
    private final String image;

    Server(String title, String variable, String image) {
        this.title = title;
        this.variable = variable;
        this.image = image;
    }

    public String title() {
        return title;
    }

    /** The environment variable that names a running server, e.g. {@code SCORELINE_IT_ES9_URL}. */
    public String variable() {
        return variable;
    }

    /** The Docker image Testcontainers starts when the variable is not set. */
    public String image() {
        return image;
    }
}
