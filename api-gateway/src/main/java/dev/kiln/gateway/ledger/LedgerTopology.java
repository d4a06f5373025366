package dev.kiln.gateway.ledger;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.TemplateCommand;
import dev.kiln.schema.TemplateCommandResult;
import dev.kiln.schema.TemplateState;
import dev.kiln.schema.kafka.KilnTopics;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The template ledger as a Kafka Streams topology: commands and the template's build events meet, keyed by
 * org/name, in one processor per partition, so exactly one writer decides for each name. A command's build
 * request, the template's new state and the reply are written in one exactly-once transaction.
 */
public final class LedgerTopology {
  static final String STORE = "templates";
  private static final String REQUESTS = "requests-out";
  private static final String TEMPLATES = "templates-out";
  private static final String REPLIES = "replies-out";

  private LedgerTopology() {}

  public static Topology build(KilnTopics topics, Serde<SpecificRecord> avro, Clock clock) {
    Serde<String> keys = Serdes.String();
    Topology topology = new Topology();
    topology.addSource("commands", keys.deserializer(), avro.deserializer(), topics.templateCommands());
    RecordSizes sizes = new RecordSizes(avro.serializer());
    topology.addProcessor("decide", () -> new CommandProcessor(clock, topics, sizes), "commands");
    topology.addSource("build-status", keys.deserializer(), avro.deserializer(), topics.buildStatus());
    topology.addProcessor("by-template", ByTemplate::new, "build-status");
    topology.addSink("build-events-out", topics.templateBuildEvents(), keys.serializer(), avro.serializer(),
        "by-template");
    topology.addSource("build-events", keys.deserializer(), avro.deserializer(), topics.templateBuildEvents());
    topology.addProcessor("follow-builds", () -> new BuildEventProcessor(clock), "build-events");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), keys, avro),
        "decide", "follow-builds");
    // Each request goes to the topic of the pool admission chose for it, read only by that pool's workers.
    topology.addSink(REQUESTS, (TopicNameExtractor<String, SpecificRecord>) (key, request, context) ->
        requestTopic(topics, (BuildRequested) request), keys.serializer(), avro.serializer(), "decide");
    topology.addSink(TEMPLATES, topics.templates(), keys.serializer(), avro.serializer(), "decide", "follow-builds");
    topology.addSink(REPLIES, topics.templateReplies(), keys.serializer(), avro.serializer(), "decide");
    return topology;
  }

  private static String requestTopic(KilnTopics topics, BuildRequested request) {
    return topics.buildRequestsFor(request.getResources(), request.getSizeClass());
  }

  /** A ledger processor: it reads and writes the templates' state store and forwards what changed. */
  private abstract static class LedgerProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
    protected final Clock clock;
    protected ProcessorContext<String, SpecificRecord> context;
    protected KeyValueStore<String, SpecificRecord> store;

    LedgerProcessor(Clock clock) {
      this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
      this.context = context;
      this.store = context.getStateStore(STORE);
    }
  }

  /** Decides each command against the stored state and writes the results. */
  private static final class CommandProcessor extends LedgerProcessor {
    private final KilnTopics topics;
    private final RecordSizes sizes;

    CommandProcessor(Clock clock, KilnTopics topics, RecordSizes sizes) {
      super(clock);
      this.topics = topics;
      this.sizes = sizes;
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
      if (!(record.value() instanceof TemplateCommand command)) {
        return;
      }
      TemplateLedger.Decision decision =
          checked(command, TemplateLedger.decide((TemplateState) store.get(record.key()), command, clock.instant()));
      if (decision.build() != null) {
        BuildRequested build = decision.build();
        context.forward(new Record<String, SpecificRecord>(build.getBuildId(), build, record.timestamp()), REQUESTS);
      }
      if (decision.deleted()) {
        store.delete(record.key());
        context.forward(new Record<String, SpecificRecord>(record.key(), null, record.timestamp()), TEMPLATES);
      } else if (decision.next() != null) {
        store.put(record.key(), decision.next());
        context.forward(new Record<String, SpecificRecord>(record.key(), decision.next(), record.timestamp()), TEMPLATES);
      }
      // The command's headers carry the requester's correlation id: the reply keeps them.
      TemplateCommandResult reply = decision.reply();
      context.forward(record.withKey(command.getCommandId()).<SpecificRecord>withValue(reply), REPLIES);
    }

    /**
     * The decision, or a refusal when what it writes would not fit in a record: a write the producer rejects would
     * fail the transaction, and the replayed command would fail again, forever, for every name on the partition.
     */
    private TemplateLedger.Decision checked(TemplateCommand command, TemplateLedger.Decision decision) {
      int largest = 0;
      if (decision.build() != null) {
        largest = sizes.size(requestTopic(topics, decision.build()), decision.build());
      }
      if (decision.next() != null) {
        largest = Math.max(largest, sizes.size(topics.templates(), decision.next()));
      }
      return largest > RecordSizes.MAX_BYTES ? TemplateLedger.tooLarge(command, largest, RecordSizes.MAX_BYTES)
          : decision;
    }
  }

  /** Re-keys build events by org/name, the ledger's key. */
  private static final class ByTemplate implements Processor<String, SpecificRecord, String, SpecificRecord> {
    private ProcessorContext<String, SpecificRecord> context;

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
      this.context = context;
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
      if (record.value() instanceof BuildStatusChanged event) {
        context.forward(record.withKey(TemplateLedger.key(event.getOrganizationId(), event.getTemplateName())));
      }
    }
  }

  /** Moves a template's state when its latest build ends. */
  private static final class BuildEventProcessor extends LedgerProcessor {
    BuildEventProcessor(Clock clock) {
      super(clock);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
      if (!(record.value() instanceof BuildStatusChanged event)) {
        return;
      }
      // Never skipped, whatever its size: apply bounds the error text, and the state holds no other input that a
      // build event can grow.
      TemplateState next = TemplateLedger.apply((TemplateState) store.get(record.key()), event, clock.instant());
      if (next != null) {
        store.put(record.key(), next);
        context.forward(new Record<String, SpecificRecord>(record.key(), next, record.timestamp()), TEMPLATES);
      }
    }
  }
}
