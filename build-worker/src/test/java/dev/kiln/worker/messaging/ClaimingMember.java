package dev.kiln.worker.messaging;

import dev.kiln.schema.kafka.KilnSerdes;
import java.io.FileReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;

/**
 * A worker's build slot reduced to its claim, run as its own process so that a test can SIGKILL it: it polls the
 * requests topic with a slot's settings until it holds a request, says which, and then holds it without renewing.
 * Arguments: the settings file, the topic.
 */
public final class ClaimingMember {
  private ClaimingMember() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Properties settings = new Properties();
    try (Reader reader = new FileReader(args[0])) {
      settings.load(reader);
    }
    KilnSerdes.allowKilnAvroClasses();
    KafkaShareConsumer<String, Object> consumer = new KafkaShareConsumer<>(settings);
    consumer.subscribe(List.of(args[1]));
    while (true) {
      for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(100))) {
        System.out.println("holding " + record.key() + " delivery " + record.deliveryCount().orElse((short) 0));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
    }
  }

  /** Writes {@code settings} where the member reads them, as strings (class values by name). */
  static Path writeSettings(Map<String, Object> settings, Path file) throws IOException {
    Properties properties = new Properties();
    settings.forEach((key, value) -> properties.setProperty(key,
        value instanceof Class<?> type ? type.getName() : String.valueOf(value)));
    try (var writer = Files.newBufferedWriter(file)) {
      properties.store(writer, "a claiming member's settings");
    }
    return file;
  }
}
