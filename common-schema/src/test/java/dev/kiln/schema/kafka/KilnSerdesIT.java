package dev.kiln.schema.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KilnSerdesIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Devstack.Endpoints stack;

  @BeforeAll
  static void startStack() {
    stack = Devstack.shared();
  }

  @Test
  void specificRecord_roundTripsThroughRegistry() throws Exception {
    String topic = newTopic();
    BuildStatusChanged sent = status("b-" + UUID.randomUUID());
    send(topic, sent);

    try (KafkaConsumer<String, BuildStatusChanged> consumer =
             new KafkaConsumer<>(KilnSerdes.consumer(stack.kafka(), stack.registryUrl()))) {
      ConsumerRecord<String, BuildStatusChanged> received = readOne(consumer, topic);
      assertThat(received.value()).isEqualTo(sent);
    }
  }

  @Test
  void plainAvroConsumer_decodesByWriterSchemaFromConfluentApi() throws Exception {
    String topic = newTopic();
    BuildStatusChanged sent = status("b-" + UUID.randomUUID());
    send(topic, sent);

    Map<String, Object> config = stack.kafka();
    config.put("key.deserializer", StringDeserializer.class);
    config.put("value.deserializer", ByteArrayDeserializer.class);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      ByteBuffer bytes = ByteBuffer.wrap(readOne(consumer, topic).value());
      assertThat(bytes.get()).as("Confluent magic byte").isZero();
      int schemaId = bytes.getInt();
      String body = get(stack.registryConfluentUrl() + "/schemas/ids/" + schemaId);
      Schema writer = new Schema.Parser().parse(new ObjectMapper().readTree(body).get("schema").asText());
      GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer)
          .read(null, DecoderFactory.get().binaryDecoder(bytes.array(), bytes.position(), bytes.remaining(), null));

      assertThat(decoded.get("buildId").toString()).isEqualTo(sent.getBuildId());
      assertThat(decoded.get("status").toString()).isEqualTo("ACTIVE");
      assertThat(decoded.get("progress")).isEqualTo(100);
    }
  }

  @Test
  void registry_refusesSchemaChangeThatBreaksBackwardCompatibility() throws Exception {
    String topic = newTopic();
    send(topic, status("b-" + UUID.randomUUID()));
    String breaking = BuildStatusChanged.getClassSchema().toString()
        .replaceFirst("\"fields\":\\[", "\"fields\":[{\"name\":\"mandatoryNewField\",\"type\":\"string\"},");
    String body = new ObjectMapper().writeValueAsString(Map.of("schema", breaking));

    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create(stack.registryConfluentUrl() + "/subjects/" + topic + "-value/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
  }

  private static BuildStatusChanged status(String buildId) {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    return BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId(buildId).setOrganizationId("org-1")
        .setTemplateName("python-app").setAttempt(1).setWorkerId("w-1").setStatus(BuildStatus.ACTIVE)
        .setProgress(100).setStartedAt(now.minusSeconds(3)).setCompletedAt(now).setOccurredAt(now)
        .setImageRef("kiln/org-1/python-app:" + buildId).build();
  }

  private static String newTopic() throws Exception {
    String topic = "serdes-it-" + UUID.randomUUID();
    try (Admin admin = Admin.create(stack.kafka())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    return topic;
  }

  private static void send(String topic, BuildStatusChanged event) throws Exception {
    try (KafkaProducer<String, BuildStatusChanged> producer =
             new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()))) {
      producer.send(new ProducerRecord<>(topic, event.getBuildId(), event)).get();
    }
  }

  private static <V> ConsumerRecord<String, V> readOne(KafkaConsumer<String, V> consumer, String topic) {
    TopicPartition partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
        return record;
      }
    }
    throw new AssertionError("no record on " + topic);
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
    return response.body();
  }
}
