package dev.kiln.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.Resources;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.schema.TemplateState;
import dev.kiln.schema.kafka.KilnSerdes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * States already on the compacted templates topic hold the whole request in {@code build}: today's schema must
 * read them (the registry's BACKWARD rule) and the gateway must answer from them.
 */
class TemplateStateEvolutionTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  @BeforeAll
  static void trustKilnClasses() {
    KilnSerdes.allowKilnAvroClasses();
  }

  /** TemplateState as it was before summaries: {@code build} a required BuildRequested. */
  private static Schema before() throws IOException {
    try (InputStream in = TemplateStateEvolutionTest.class.getResourceAsStream("/avro/TemplateState-before-summary.avsc")) {
      Schema.Parser parser = new Schema.Parser();
      parser.addTypes(List.of(BuildRequested.getClassSchema(), BuildStatus.getClassSchema()));
      return parser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void schema_readsStatesWrittenBeforeSummaries() throws IOException {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(TemplateState.getClassSchema(), before());

    assertThat(result.getType()).as(result.getDescription())
        .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void oldState_readToday_answersFromItsRequest() throws IOException {
    BuildRequested request = BuildRequested.newBuilder().setBuildId("b1").setTemplateId("b1").setOrganizationId("org")
        .setTemplateName("app").setRequestId("req").setRequestedAt(NOW).setFromImage("debian")
        .setResources(new Resources(2, 1024, 4)).setStartCmd("serve").setSteps(List.of(
            Step.newBuilder().setKind(StepKind.WORKDIR).setArgs(List.of("app")).build(),
            Step.newBuilder().setKind(StepKind.ENV).setArgs(List.of("A=1")).build())).build();
    GenericRecord old = new GenericData.Record(before());
    old.put("templateId", "b1");
    old.put("organizationId", "org");
    old.put("name", "app");
    old.put("status", "active");
    old.put("isActive", true);
    old.put("latestBuildId", "b1");
    old.put("latestBuildStatus", new GenericData.EnumSymbol(BuildStatus.getClassSchema(), "ACTIVE"));
    old.put("build", request);
    old.put("createdAt", NOW);
    old.put("updatedAt", NOW);

    TemplateState read = readToday(old);

    assertThat(read.getSummary()).isNull();
    assertThat(TemplateSummaries.of(read).getFromImage()).isEqualTo("debian");
    assertThat(TemplateSummaries.of(read).getWorkdir()).isEqualTo("/app");
    assertThat(TemplateSummaries.of(read).getEnv()).containsExactly("A=1");
    assertThat(TemplateSummaries.current(read).getBuild()).isNull();
  }

  private static TemplateState readToday(GenericRecord old) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    // The generated classes' model: it knows the timestamp conversions the request's fields need.
    new GenericDatumWriter<GenericRecord>(old.getSchema(), SpecificData.getForClass(TemplateState.class))
        .write(old, encoder);
    encoder.flush();
    SpecificDatumReader<TemplateState> reader =
        new SpecificDatumReader<>(old.getSchema(), TemplateState.getClassSchema());
    return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }
}
