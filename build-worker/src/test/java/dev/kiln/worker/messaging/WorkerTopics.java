package dev.kiln.worker.messaging;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.SizeClass;
import dev.kiln.schema.kafka.TopicSpec;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;

/** Kiln's topics under a fresh prefix on the test broker, and the workers' share group set up as a worker sets it. */
final class WorkerTopics {
  private WorkerTopics() {}

  static KilnTopics create(String stem, Duration claimLock) throws Exception {
    KilnTopics topics = KilnTopics.withPrefix(stem + UUID.randomUUID().toString().substring(0, 8));
    try (Admin admin = Admin.create(Devstack.shared().kafka())) {
      admin.createTopics(topics.all().stream().map(TopicSpec::toNewTopic).toList()).all().get();
      ShareGroupSetup.configure(admin, topics.workerShareGroup(SizeClass.SMALL), claimLock, 10, topics.buildDeadLetters());
    }
    return topics;
  }
}
