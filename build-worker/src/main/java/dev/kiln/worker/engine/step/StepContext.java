package dev.kiln.worker.engine.step;


/** What a step sees while it runs: the current image and config, the engine, the uploaded files, where output goes. */
public record StepContext(String image, ImageConfig config, StepLimits limits, ImageEngine engine, FileSource files,
    LogSink log) {}
