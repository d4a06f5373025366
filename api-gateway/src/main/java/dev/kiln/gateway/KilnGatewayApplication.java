package dev.kiln.gateway;

import dev.kiln.schema.kafka.KilnSerdes;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The api-gateway: HopX's template API in front of Kiln's Kafka topics. */
@SpringBootApplication
public class KilnGatewayApplication {
  public static void main(String[] args) {
    KilnSerdes.allowKilnAvroClasses();
    SpringApplication.run(KilnGatewayApplication.class, args);
  }
}
