package dyvms

import (
	"context"
	"log/slog"
	"time"
)

// attemptLogger writes the record of one attempt.
type attemptLogger func(ctx context.Context, red redactor, a attemptRecord)

// maxLoggedValue bounds a request value copied into a log record.
const maxLoggedValue = 64

// attemptRecord is what one attempt leaves for its log record.
type attemptRecord struct {
	action    string
	attempt   int
	status    int
	code      string
	requestID string
	latency   time.Duration
	err       error
	outcome   outcome
	retry     bool
	backoff   time.Duration
	called    string // the CalledNumber parameter, unmasked
	outID     string
}

// log writes the record of one attempt; a nil logger writes nothing.
func (l attemptLogger) log(ctx context.Context, red redactor, a attemptRecord) {
	if l != nil {
		l(ctx, red, a)
	}
}

// slogAttemptLogger writes each attempt's record to l.
func slogAttemptLogger(l *slog.Logger) attemptLogger {
	return func(ctx context.Context, red redactor, a attemptRecord) { writeAttemptRecord(l, ctx, red, a) }
}

// writeAttemptRecord writes the record of one attempt to l.
func writeAttemptRecord(l *slog.Logger, ctx context.Context, red redactor, a attemptRecord) {
	level := slog.LevelDebug
	if a.err != nil {
		level = slog.LevelWarn
	}
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 14)
	attrs = append(attrs,
		slog.String("action", a.action),
		slog.Int("attempt", a.attempt),
		slog.Int("status", a.status),
		slog.String("code", red.redact(a.code)),
		slog.String("request_id", red.redact(a.requestID)),
		slog.Duration("latency", a.latency),
	)
	if a.called != "" {
		called := a.called
		if len(called) > maxLoggedValue {
			called = called[:maxLoggedValue] + "…"
		}
		attrs = append(attrs, slog.String("called_number", maskDigitRuns(red.redact(called))))
	}
	if a.outID != "" {
		attrs = append(attrs, slog.String("out_id", red.redact(a.outID)))
	}
	if a.err != nil {
		msg := maskDigitRuns(red.redact(a.err.Error()))
		attrs = append(attrs, slog.String("error", msg), slog.Bool("retry", a.retry))
		if a.retry {
			attrs = append(attrs, slog.Duration("backoff", a.backoff))
		}
		if a.outcome == ambiguous {
			attrs = append(attrs, slog.Bool("ambiguous", true))
		}
	}
	l.LogAttrs(ctx, level, "dyvms attempt", attrs...)
}
