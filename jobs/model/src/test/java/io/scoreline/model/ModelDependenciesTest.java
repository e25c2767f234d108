package io.scoreline.model;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service embeds this module: it must not bring the jobs' CLI, the S3 SDK or a logging backend along
 * (the test classpath is this module's dependencies plus JUnit).
 */
class ModelDependenciesTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "picocli.CommandLine",
        "software.amazon.awssdk.services.s3.S3Client",
        "software.amazon.awssdk.core.SdkClient",
        "org.slf4j.simple.SimpleLogger"
    })
    void notOnTheClasspath(String className) {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(className, false, getClass().getClassLoader()));
    }
}
