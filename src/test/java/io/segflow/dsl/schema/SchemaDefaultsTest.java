package io.segflow.dsl.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.dsl.yaml.YamlLoader;
import io.segflow.dsl.yaml.YamlNode;
import org.junit.jupiter.api.Test;

class SchemaDefaultsTest {
  @Test
  void readsEachKindOfDefaultFromTheSchema() {
    SchemaDefaults kmeans = SchemaDefaults.of("kmeans");
    assertEquals(10, kmeans.integer("restarts"));
    assertEquals(1e-4, kmeans.number("tolerance"));
    assertEquals("kmeans++", kmeans.string("init"));
    assertEquals("others", SchemaDefaults.of("rules").string("default"));
  }

  @Test
  void aKeyGivenInTheDefinitionWinsOverItsDefault() {
    YamlNode.Mapping seg = (YamlNode.Mapping) ((YamlLoader.Loaded) YamlLoader.load("defaults.yaml",
        "restarts: 3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))).document().root();
    SchemaDefaults kmeans = SchemaDefaults.of("kmeans");
    assertEquals(3, kmeans.integerIn(seg, "restarts"));
    assertEquals(300, kmeans.integerIn(seg, "max_iterations"));
    assertEquals("standard", kmeans.stringIn(seg, "scaling"));
    assertEquals(1e-4, kmeans.numberIn(seg, "tolerance"));
  }

  @Test
  void aKeyThatIsAnotherMethodsKeyHasItsDefault() {
    // bisecting_kmeans' restarts is a $ref to k-means' restarts.
    assertEquals(SchemaDefaults.of("kmeans").integer("restarts"), SchemaDefaults.of("bisecting_kmeans").integer("restarts"));
  }

  @Test
  void aMissingDefaultOrKeyOrTypeIsAnErrorNamingIt() {
    SchemaDefaults kmeans = SchemaDefaults.of("kmeans");
    IllegalStateException noDefault = assertThrows(IllegalStateException.class, () -> kmeans.string("weights"));
    assertTrue(noDefault.getMessage().contains("$defs/kmeans/properties/weights has no default"), noDefault.getMessage());
    assertThrows(IllegalArgumentException.class, () -> kmeans.integer("no_such_key"));
    assertThrows(IllegalStateException.class, () -> kmeans.integer("init"));
    assertThrows(IllegalArgumentException.class, () -> SchemaDefaults.of("no_such_method"));
  }
}
