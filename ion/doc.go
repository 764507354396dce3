// Package ion reads and writes the Amazon Ion files in which Kestra keeps
// task results (internal storage: one value, usually a struct, per line),
// with the Go types that match what the Kestra server reads back.
//
//	rows, err := ion.Read("result.ion") // []map[string]any, like Kestra.read in Python
//
// [Read] and [ReadAll] return every row; [Rows] and [Decoder] stream rows in
// constant memory; [Decoder.Decode] and [DecodeRow] fill structs through
// `ion:"name"` tags; [Writer] writes rows as Kestra writes them. Text and
// binary Ion are both read (binary is detected by its version marker, and
// repeated version markers and symbol tables are handled), built on
// github.com/amazon-ion/ion-go.
//
// # Types
//
// Reading maps each Ion value to:
//
//	Ion value                                   Go value
//	null, null.int, ... (every typed null)      nil
//	bool                                        bool
//	int                                         int64; *big.Int when it does not fit
//	decimal (100.000000, 1d3)                   float64 (nearest; ±Inf on overflow);
//	                                            *Decimal with ExactDecimals
//	float (1.5e0, nan, +inf, -inf)              float64
//	string, symbol                              string
//	blob, clob                                  []byte
//	list, sexp                                  []any
//	struct                                      map[string]any (a repeated field name: the last wins, as in Kestra)
//	timestamp with an offset (Z, +02:00)        time.Time in UTC or in a fixed zone with that offset
//	timestamp with offset -00:00 (unknown)      time.Time in UTC (Ion defines such times as UTC)
//	timestamp of day, month or year precision   time.Time at midnight in the LocalLocation (default UTC)
//	Instant::"…Z"                               time.Time in UTC
//	OffsetDateTime::"…+02:00"                   time.Time in a fixed zone with that offset
//	ZonedDateTime::"…+02:00[Europe/Paris]"      time.Time in the region's location (time.LoadLocation);
//	                                            when the region cannot be loaded, a fixed zone named
//	                                            after the region with the written offset; without a
//	                                            region, a fixed zone
//	LocalDateTime::"2024-04-21T13:43:24.34"     time.Time with that wall clock in the LocalLocation
//	LocalDate::"1987-06-17"                     time.Time at midnight in the LocalLocation
//	LocalTime::"15:30:00.123456"                time.Time on 0000-01-01 in the LocalLocation
//	OffsetTime::"13:43:24.34-05:30"             time.Time on 0000-01-01 in a fixed zone with that offset
//	any other annotation                        the value as if unannotated; Annotated with KeepAnnotations
//
// As in Kestra, only the first annotation counts, and a time annotation
// applies to text (strings and symbols); on other values it is treated like
// any other annotation. Time text that does not parse
// (LocalDateTime::"not a date") is an error, never a string: Kestra fails on
// it too. Zone-less values get the location set by [LocalLocation] (UTC by
// default, so results do not depend on the machine). Time-only values are on
// year 0, January 1st, so that t.Hour(), t.Minute() etc. read naturally.
// Fixed zones have an empty name; a time.Time keeps no precision, so 1.50
// and 1.5 seconds read the same. Loading a region needs the time zone
// database; import time/tzdata in programs that run where it is missing.
// Annotations on a top-level row are ignored.
//
// Kestra's Python client also turns every plain string that looks like an
// ISO date-time into a datetime. [ParseISOStrings] does the same, but it is
// off by default: the server stores those values as strings, and a string
// field that happens to contain a date would silently change type.
//
// # Errors
//
// Every read error is an *[Error] with the index of the row and, where
// known, the byte offset, line and field path ("row 3 (line 4, byte 812),
// field hired: invalid LocalDate ..."). A top-level value that is not a
// struct wraps [ErrNotStruct] and is reported with its row, and with its
// byte offset and line unless it comes after something only the library
// reads (binary Ion, a symbol table): the library does not report where
// its values start. Malformed input never panics and never yields a
// partial row.
//
// # Speed
//
// Plain Ion text as Kestra writes it is parsed by this package's own parser,
// several times faster than the library's reader (see the benchmarks). It
// handles structs, lists, strings and 'quoted' symbols with all escapes
// (including the \xHH, \uHHHH and \UHHHHHHHH of files written before Kestra
// 0.19), unquoted symbols, ints, decimals, floats, nan and ±inf, timestamps
// (day, minute, second and up to nanosecond precision), blobs, null and
// typed nulls, and a single Kestra time annotation on a string. From the
// first top-level value it does not handle, the rest of the stream is read
// by the Ion library: binary Ion, version markers and symbol tables, comments,
// 'long strings', s-expressions, clobs, other annotations, symbol IDs ($10),
// hex, binary and underscored ints, trailing commas, timestamps of year or
// month precision or with more than 9 fraction digits, and anything
// malformed (so every syntax error message comes from the library). The
// tests check on every fixture and on fuzzed input that both paths give
// identical results. For inputs of several megabytes, [Read] and [ReadAll]
// parse newline-separated sections on all cores (with the same result as a
// sequential read), each read through its own buffer, so that the memory
// they hold is the result's (a file, or any reader that can be read at
// offsets, is not loaded whole); [Rows] and [Decoder] keep one buffer
// (64 KiB, or the longest line) and the current row.
//
// The result is Go maps and interface values, about 1.6 KB per row of 17
// fields on the benchmark file (4 times the text), most of it the maps
// themselves (a map[string]any of 17 entries takes about 1.2 KB). Repeated
// strings, numbers and dates share one allocation, and string bytes are
// copied into shared blocks, never kept as slices of the input.
//
// # Writing
//
// [Writer] writes Ion text as Kestra's FileSerde does, one value per line,
// so that Kestra reads back the intended Java types: ints as Ion ints,
// floats with an exponent (a bare 1.5 would be a decimal), *[Decimal] as
// decimals, time.Time as an Instant (UTC, milliseconds), and the wrappers
// [LocalDate], [LocalDateTime], [OffsetDateTime], [ZonedDateTime],
// [LocalTime], [OffsetTime] as Kestra writes those Java types.
package ion
