package dyvms

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// chinaTime is China Standard Time (UTC+8, no daylight saving), the zone of
// the service's wall-clock date strings.
var chinaTime = time.FixedZone("CST", 8*3600)

// ChinaStandardTime returns the UTC+8 zone the service uses for its
// "yyyy-MM-dd HH:mm:ss" date strings.
func ChinaStandardTime() *time.Location { return chinaTime }

// formatChinaDateTime writes t as "yyyy-MM-dd HH:mm:ss" in China Standard
// Time, as requests send a datetime field.
func formatChinaDateTime(t time.Time) string { return t.In(chinaTime).Format(time.DateTime) }

// parseChinaDateTime parses a "yyyy-MM-dd HH:mm:ss" string in China
// Standard Time, surrounding spaces ignored.
func parseChinaDateTime(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateTime, strings.TrimSpace(s), chinaTime)
	return t, err == nil
}

// chinaDateTime parses a "yyyy-MM-dd HH:mm:ss" string in China Standard
// Time; the zero time if s is empty or malformed. The response helpers
// (CreatedAt, StartedAt, ...) use it.
func chinaDateTime(s string) time.Time {
	t, _ := parseChinaDateTime(s)
	return t
}

// millisTime turns Unix milliseconds into a time in China Standard Time;
// the zero time for 0 or less.
func millisTime(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).In(chinaTime)
}

// epochMillis parses Unix milliseconds written as a string; the zero time
// if s is empty, malformed or not positive.
func epochMillis(s string) time.Time {
	ms, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return time.Time{}
	}
	return millisTime(ms)
}

// sleepCtx pauses for d or until ctx ends, whichever is first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
