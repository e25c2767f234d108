package io.scoreline.source.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EsClientsTest {

    @Test
    void aFailedNodeMentionsAnotherNodeOnlyWhenThereIsOne() {
        assertEquals("Elasticsearch node http://es:9200 failed", EsClients.failedNode("http://es:9200", 1));
        assertTrue(EsClients.failedNode("http://es:9200", 2).contains("another node of --es-url"));
    }
}
