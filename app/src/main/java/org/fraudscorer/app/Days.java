package org.fraudscorer.app;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.fraudscorer.trainer.data.RawEvents;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Whole UTC days [{@code from}, {@code until}) as {@code backfill} and {@code produce} take them ({@code --from},
 * {@code --until} exclusive: a backfill's {@code --until} is the first live day, where {@code produce --from} starts);
 * either end may be open (null).
 */
record Days(LocalDate from, LocalDate until) {

    /** This range, or a usage error (exit 2) when it holds no day. */
    Days checked(CommandSpec spec) {
        if (from != null && until != null && !from.isBefore(until)) {
            throw new ParameterException(spec.commandLine(), "--from " + from + " must be before --until " + until);
        }
        return this;
    }

    /** The events of these days, in file order ({@code all} itself when both ends are open). */
    RawEvents of(RawEvents all) {
        if (from == null && until == null) {
            return all;
        }
        return all.between(from == null ? Long.MIN_VALUE : from.atStartOfDay(ZoneOffset.UTC).toEpochSecond(),
                until == null ? Long.MAX_VALUE : until.atStartOfDay(ZoneOffset.UTC).toEpochSecond(),
                all.source() + " " + this);
    }

    @Override
    public String toString() {
        return "[" + (from == null ? "start" : from) + ", " + (until == null ? "end" : until) + ")";
    }
}
