package dev.kiln.gateway;

import dev.kiln.schema.kafka.KilnSerdes;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/** The api-gateway: HopX's template API in front of Kiln's Kafka topics. */
// API keys are the only credential: no in-memory user, and no generated password in the log.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class KilnGatewayApplication {
  public static void main(String[] args) {
    KilnSerdes.allowKilnAvroClasses();
    SpringApplication.run(KilnGatewayApplication.class, args);
  }
}
