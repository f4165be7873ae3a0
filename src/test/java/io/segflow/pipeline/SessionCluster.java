package io.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Flink session cluster of {@code pipelines/flink/cluster.sh} (a JobManager and a TaskManager, each its own
 * JVM) on ports and a folder of its own, so a developer's cluster on 8081 is left alone. As a JUnit extension
 * ({@code @RegisterExtension static}), it runs for the test class's tests.
 */
final class SessionCluster implements BeforeAllCallback, AfterAllCallback {
  private final String restPort;
  private final String rpcPort;
  private final Path folder;

  SessionCluster(String restPort, String rpcPort, String folder) {
    this.restPort = restPort;
    this.rpcPort = rpcPort;
    this.folder = Path.of(folder).toAbsolutePath();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  /** The REST address jobs are submitted to. */
  String master() {
    return "localhost:" + restPort;
  }

  void start() throws IOException, InterruptedException {
    script("start");
  }

  void stop() throws IOException, InterruptedException {
    script("stop");
  }

  /** Kills the TaskManager's process at once, as a lost machine would end it. */
  void killTaskManager() throws IOException {
    long pid = Long.parseLong(Files.readString(folder.resolve("taskmanager.pid")).trim());
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
        "the TaskManager (pid " + pid + ") is not running"));
    process.destroyForcibly();
    process.onExit().join();
  }

  /** Whether a job is running on the cluster, by its REST API. */
  boolean runsAJob() throws IOException, InterruptedException {
    HttpResponse<String> jobs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + restPort + "/jobs/overview")).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString());
    return jobs.statusCode() == 200 && jobs.body().contains("\"state\":\"RUNNING\"");
  }

  private void script(String command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "pipelines/flink/cluster.sh", command).inheritIO();
    pb.environment().put("FLINK_REST_PORT", restPort);
    pb.environment().put("FLINK_RPC_PORT", rpcPort);
    pb.environment().put("FLINK_DIR", folder.toString());
    Process process = pb.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("cluster.sh " + command + " did not finish in 120 s");
    }
    assertEquals(0, process.exitValue(), "cluster.sh " + command + " failed; see " + folder.resolve("logs"));
  }
}
