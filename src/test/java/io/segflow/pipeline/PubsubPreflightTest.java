package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segflow.compile.CompiledDefinition;
import io.segflow.dsl.env.Environment;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream whose Pub/Sub cannot be reached is refused before it starts, saying where it looked. */
class PubsubPreflightTest {
  @Test
  void aStreamWhosePubSubCannotBeReachedIsRefusedSayingWhere(@TempDir Path dir) throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort(); // free once closed: nothing listens there
    }
    Path file = dir.resolve("live.yaml");
    Files.writeString(file, """
        apiVersion: segflow/v1
        name: live
        runner: direct
        sources:
          retail_transactions:
            kind: pubsub
            subscription: projects/segflow-local/subscriptions/events
            format: json
            event_time: InvoiceDate
        output:
          kind: files
          path: out
        """);
    Environment live = Fixtures.environment(file);
    CompiledDefinition compiled = CompiledDefinition.of(Fixtures.definition(PubsubStreamTest.RULES, live));
    StreamRun.Refused refused = assertThrows(StreamRun.Refused.class, () -> StreamRun.of(compiled, live)
        .start(PubsubEndpoint.configure(RunOptions.direct(), Optional.of("localhost:" + closed)), dir.resolve("s")));
    assertTrue(refused.getMessage().startsWith("cannot reach Pub/Sub at http://localhost:" + closed
        + " to look up projects/segflow-local/subscriptions/events: "), refused.getMessage());
    assertTrue(refused.getMessage().endsWith("(is the emulator running?)"), refused.getMessage());
  }
}
