package io.chatbotctl.manifest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hash suffix against the vectors of kustomize's own hasher tests (objects without a name). */
class KustomizeHashTest {
    private static String hash(String yaml) {
        return KustomizeHash.of(ManifestYaml.readObject(yaml, "test"));
    }

    @Test
    void configMaps() {
        assertEquals("6ct58987ht", hash("apiVersion: v1\nkind: ConfigMap\n"));
        assertEquals("9g67k2htb6", hash("apiVersion: v1\nkind: ConfigMap\ndata:\n  one: \"\"\n"));
        assertEquals("6mtk2m274t", hash("apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  one: \"\"\n"));
        assertEquals("698h7c7t9m", hash("apiVersion: v1\nkind: ConfigMap\ndata:\n  one: \"\"\nbinaryData:\n  two: \"\"\n"));
    }

    @Test
    void secrets() {
        assertEquals("5gmgkf8578", hash("apiVersion: v1\nkind: Secret\ntype: my-type\n"));
        assertEquals("74bd68bm66", hash("apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  one: \"\"\n"));
        assertEquals("c4h4264gdb", hash("apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  one: \"\"\nstringData:\n  two: 2\n"));
    }

    @Test
    void escapesHtmlLikeGo() {
        // kubectl kustomize names a ConfigMap of x=1 and y=<&> cfg-c9hgdm4882
        assertEquals("c9hgdm4882", hash("apiVersion: v1\nkind: ConfigMap\ndata:\n  x: \"1\"\n  \"y\": <&>\n"));
    }
}
