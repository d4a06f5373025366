package dev.kiln.worker;

import dev.kiln.schema.kafka.KilnSerdes;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The build-worker: claims template builds from Kafka and runs them on this node's Docker engine. */
@SpringBootApplication
public class KilnWorkerApplication {
  public static void main(String[] args) {
    KilnSerdes.allowKilnAvroClasses();
    SpringApplication.run(KilnWorkerApplication.class, args);
  }
}
