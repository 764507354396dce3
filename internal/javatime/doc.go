// Package javatime writes and reads times the way the Kestra server (Java,
// Jackson) does, so that the project has exactly one home for these rules:
//
//   - instants as java.time.Instant.toString writes them and Instant.parse
//     reads them (DateTimeFormatter.ISO_INSTANT): UTC, seconds always
//     present, the fraction in groups of three digits only as long as
//     needed ("2026-05-01T10:00:00Z", "2026-05-01T10:00:00.123Z"), years
//     past 9999 with a '+' sign;
//   - durations as java.time.Duration.toString writes them and
//     Duration.parse reads them: "PT1H30M", "PT-1H-30M" for minus 90
//     minutes (every non-zero part carries the sign), "PT-0.5S", days,
//     signs and fractions when parsing ("-P1DT2H", "PT+3M", "PT1,5S").
//
// Kestra's JSON dates, durations (execution state durations, ttl headers,
// timeRange filters, Sleep and Pause task properties) and downloaded log
// lines all follow these rules (the server's Jackson mapper writes dates
// and durations as strings: jackson.serialization.writeDatesAsTimestamps
// and writeDurationsAsTimestamps are false in its application.yml).
package javatime
