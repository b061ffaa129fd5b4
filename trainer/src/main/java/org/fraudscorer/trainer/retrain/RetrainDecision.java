package org.fraudscorer.trainer.retrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.SigningKey;

/**
 * The end of a retrain: judge the challenge by the gate, publish the challenger only if the gate holds and this is
 * not a dry run, and write the JSON report either way. Where the model goes is a {@link Publisher} (the model topic
 * in production), so the decision is tested without a broker.
 */
public final class RetrainDecision {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RetrainDecision() {
    }

    /**
     * What the run did; {@code PUBLISHED} is the only one that changed anything outside the report. Each exits 0 but
     * {@code ERROR}, which is a failure (exit 1); a new one is worded in the report's {@code reason} (here) and in
     * {@code retrain}'s console line, and listed in docs/operations.md's table of outcomes.
     */
    public enum Decision {
        PUBLISHED, DRY_RUN, REFUSED, ERROR;

        /** The report's {@code decision}: {@code published}, {@code dry_run}, {@code refused}, {@code error}. */
        public String reportValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The report's {@code decision} while the run trains, before it has decided ({@link #runningReport}). */
    public static final String RUNNING = "running";

    /** Publishing failed; the report (decision {@code error}) is already written. */
    public static final class PublishFailedException extends Exception {
        PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The model was published, but its report could not be written afterwards: the message says it was published,
     * so that a job that sees the failure does not take it for a run that changed nothing.
     */
    public static final class ReportFailedAfterPublishException extends Exception {
        ReportFailedAfterPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Sends a model file's bytes where scorers load models from; returns where it went (for the report). */
    @FunctionalInterface
    public interface Publisher {
        String publish(String modelVersion, byte[] modelFile) throws Exception;
    }

    /**
     * @param publishedTo where the challenger went (null unless published)
     * @param report      the report as written
     */
    public record Outcome(Decision decision, ChallengerGate.Verdict verdict, String publishedTo,
                          Map<String, Object> report) {
    }

    /**
     * @param context    what the run read and how (source, period, options): the report's first entries
     * @param key        signs the published model (null = unsigned)
     * @param reportFile where the report goes (null = not written)
     */
    public static Outcome decide(Challenge challenge, ChallengerGate gate, boolean dryRun, SigningKey key,
                                 Publisher publisher, Map<String, Object> context, Path reportFile) throws Exception {
        ChallengerGate.Verdict verdict = gate.judge(challenge.challengerMetrics(), challenge.champion(),
                challenge.apGain());
        byte[] bytes = ModelFile.toBytes(challenge.challenger(), key);
        ModelBundle model = ModelFile.fromBytes(bytes, "challenger " + challenge.challenger().modelVersion());
        Decision decision = !verdict.passed() ? Decision.REFUSED : dryRun ? Decision.DRY_RUN : Decision.PUBLISHED;
        String to = null;
        if (decision == Decision.PUBLISHED) {
            try {
                to = publisher.publish(model.modelVersion(), bytes);
            } catch (Exception e) {
                Map<String, Object> failed = report(context, challenge, gate, verdict, Decision.ERROR, model, key, null);
                failed.put("reason", "publishing failed: " + e.getMessage());
                PublishFailedException publishFailed = new PublishFailedException("publishing model "
                        + model.modelVersion() + " failed: " + e.getMessage(), e);
                try {
                    write(reportFile, failed);
                } catch (IOException reportFailed) {
                    publishFailed.addSuppressed(reportFailed); // the failed publication is the error to tell
                }
                throw publishFailed;
            }
        }
        Map<String, Object> r = report(context, challenge, gate, verdict, decision, model, key, to);
        try {
            write(reportFile, r);
        } catch (IOException e) {
            if (decision == Decision.PUBLISHED) {
                throw new ReportFailedAfterPublishException("model " + model.modelVersion() + " WAS published to " + to
                        + ", but the report " + reportFile + " could not be written: " + e, e);
            }
            throw e;
        }
        return new Outcome(decision, verdict, to, r);
    }

    private static Map<String, Object> report(Map<String, Object> context, Challenge c, ChallengerGate gate,
                                              ChallengerGate.Verdict verdict, Decision decision, ModelBundle model,
                                              SigningKey key, String to) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decision", decision.reportValue());
        m.put("reason", switch (decision) {
            case PUBLISHED -> "gate passed: " + verdict.reason();
            case DRY_RUN -> "gate passed, not published (--dry-run): " + verdict.reason();
            case REFUSED -> "gate refused: " + verdict.reason();
            case ERROR -> "error";
        });
        m.put("time", Instant.now().toString());
        m.putAll(context);
        m.putAll(c.toMap());
        m.put("gate", verdict.toMap(gate));
        Map<String, Object> ch = new LinkedHashMap<>();
        ch.put("model_version", model.modelVersion());
        ch.put("evaluated_version", c.evaluatedVersion());
        ch.put("sha256", model.sha256());
        ch.put("signed_by", key == null ? null : key.keyId());
        ch.put("provenance", model.provenance());
        m.put("published_model", ch);
        m.put("published_to", to);
        return m;
    }

    /**
     * The report written as a run starts, before anything is trained or published: a file that cannot take it stops
     * the run at once, where a report that failed only after publishing would turn a published model into a failed
     * run.
     */
    public static Map<String, Object> runningReport(Map<String, Object> context) {
        Map<String, Object> m = new LinkedHashMap<>(context);
        m.put("decision", RUNNING);
        m.put("time", Instant.now().toString());
        return m;
    }

    /** The report of a run that failed before a decision: the reason, nothing published. */
    public static Map<String, Object> errorReport(Map<String, Object> context, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decision", Decision.ERROR.reportValue());
        m.put("reason", reason);
        m.put("time", Instant.now().toString());
        m.putAll(context);
        m.put("published_to", null);
        return m;
    }

    /** Writes the report atomically (temp file + move); null path = nothing. */
    public static void write(Path file, Map<String, Object> report) throws IOException {
        if (file == null) {
            return;
        }
        org.fraudscorer.common.model.AtomicFiles.write(file, JSON.writeValueAsBytes(report));
    }
}
