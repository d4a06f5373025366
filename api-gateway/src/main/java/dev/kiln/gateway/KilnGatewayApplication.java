package dev.kiln.gateway;

import dev.kiln.gateway.ops.KafkaAclsCommand;
import dev.kiln.schema.kafka.KilnSerdes;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/** The api-gateway: HopX's template API in front of Kiln's Kafka topics. */
// API keys are the only credential: no in-memory user, and no generated password in the log.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class KilnGatewayApplication {
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("kafka-acls")) {
      // An operator's command, run with the gateway's image: no web server, no Kafka identity of its own.
      System.exit(KafkaAclsCommand.run(java.util.List.of(args).subList(1, args.length), System::getenv,
          System.out, System.err));
    }
    KilnSerdes.allowKilnAvroClasses();
    SpringApplication.run(KilnGatewayApplication.class, args);
  }
}
