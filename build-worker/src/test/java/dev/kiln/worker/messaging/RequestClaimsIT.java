package dev.kiln.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.Resources;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.SizeClass;
import dev.kiln.schema.kafka.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the share group hands build requests to slots, on a real broker with Kiln's own topic layout and group
 * settings: every slot is assigned every request partition, so a request held by a worker that is SIGKILLed goes to
 * another worker's slot as soon as the dead connection releases it, not after its lock or the dead member's session.
 */
class RequestClaimsIT {
  /** Far longer than a release on disconnect takes: a claim within half of it was not the lock running out. */
  private static final Duration LOCK = Duration.ofSeconds(60);
  private final Devstack.Endpoints stack = Devstack.shared();
  private KilnTopics topics;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void createTopicsAndGroup() throws Exception {
    topics = WorkerTopics.create("claims", LOCK);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void everySlot_isAssignedEveryRequestPartition() {
    List<KafkaShareConsumer<String, BuildRequested>> slots = IntStream.range(0, 4).mapToObj(i -> slot()).toList();
    Set<TopicPartition> partitions = requestPartitions();

    await("every slot assigned every request partition").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          slots.forEach(slot -> slot.poll(Duration.ofMillis(50)));
          assertThat(memberAssignments()).as("the group's members' partitions").hasSize(slots.size())
              .allSatisfy(assigned -> assertThat(assigned).isEqualTo(partitions));
        });
  }

  @Test
  void aRequestHeldByAKilledWorker_isClaimedByAnotherWorkersSlot_longBeforeItsLockEnds() throws Exception {
    Path output = Files.createTempFile("claiming-member", ".out");
    Process holder = startClaimingMember(output);
    closing.add(holder::destroyForcibly);
    String buildId = UUID.randomUUID().toString();
    send(request(buildId));
    await("the other process holds the request").atMost(Duration.ofSeconds(60))
        .until(() -> Files.readString(output).contains("holding " + buildId + " delivery 1"));
    List<KafkaShareConsumer<String, BuildRequested>> others = List.of(slot(), slot());
    await("the other slots joined").atMost(Duration.ofSeconds(30)).until(() -> {
      others.forEach(slot -> assertThat(slot.poll(Duration.ofMillis(50))).as("nothing else to claim").isEmpty());
      return memberAssignments().size() == 3;
    });

    holder.destroyForcibly();
    long killed = System.nanoTime();
    List<ConsumerRecord<String, BuildRequested>> claimed = new ArrayList<>();
    await("another slot claims the request").atMost(LOCK.dividedBy(2)).pollInterval(Duration.ofMillis(10))
        .until(() -> {
          others.forEach(slot -> slot.poll(Duration.ofMillis(25)).forEach(claimed::add));
          return !claimed.isEmpty();
        });
    System.out.printf("request of a SIGKILLed holder claimed again after %d ms%n",
        Duration.ofNanos(System.nanoTime() - killed).toMillis());

    assertThat(claimed).singleElement().satisfies(record -> {
      assertThat(record.key()).isEqualTo(buildId);
      assertThat(record.deliveryCount()).contains((short) 2);
    });
  }

  private KafkaShareConsumer<String, BuildRequested> slot() {
    KafkaShareConsumer<String, BuildRequested> slot = new KafkaShareConsumer<>(
        ShareGroupSetup.memberSettings(stack.kafka(), stack.registryUrl(), topics.workerShareGroup(SizeClass.SMALL)));
    closing.add(slot);
    slot.subscribe(List.of(topics.buildRequests(SizeClass.SMALL)));
    return slot;
  }

  private Process startClaimingMember(Path output) throws Exception {
    Path settings = ClaimingMember.writeSettings(
        ShareGroupSetup.memberSettings(stack.kafka(), stack.registryUrl(), topics.workerShareGroup(SizeClass.SMALL)),
        Files.createTempFile("claiming-member", ".properties"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ClaimingMember.class.getName(),
        settings.toString(), topics.buildRequests(SizeClass.SMALL))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  /** Each member's assigned partitions, as the group coordinator has them now. */
  private List<Set<TopicPartition>> memberAssignments() throws Exception {
    String group = topics.workerShareGroup(SizeClass.SMALL);
    try (Admin admin = Admin.create(stack.kafka())) {
      return admin.describeShareGroups(List.of(group)).all().get().get(group).members().stream()
          .map(member -> member.assignment().topicPartitions()).toList();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return List.of();
      }
      throw e;
    }
  }

  private Set<TopicPartition> requestPartitions() {
    int count = topics.all().stream().filter(spec -> spec.name().equals(topics.buildRequests(SizeClass.SMALL)))
        .mapToInt(TopicSpec::partitions).findFirst().orElseThrow();
    return IntStream.range(0, count).mapToObj(p -> new TopicPartition(topics.buildRequests(SizeClass.SMALL), p))
        .collect(Collectors.toSet());
  }

  private void send(BuildRequested request) throws Exception {
    try (KafkaProducer<String, BuildRequested> producer =
             new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()))) {
      producer.send(new ProducerRecord<>(topics.buildRequests(SizeClass.SMALL), request.getBuildId(), request)).get();
    }
  }

  private static BuildRequested request(String buildId) {
    return BuildRequested.newBuilder().setBuildId(buildId).setTemplateId(buildId).setOrganizationId("default")
        .setTemplateName("claims").setRequestId("r-" + buildId).setRequestedAt(Instant.now())
        .setFromImage("busybox:latest").setResources(new Resources(1, 512, 1)).setSteps(List.of()).build();
  }
}
