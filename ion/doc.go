// Package ion reads and writes the Amazon Ion files in which Kestra keeps
// task results (internal storage: one value, usually a struct, per line),
// with the Go types that match what the Kestra server reads back.
//
//	rows, err := ion.Read("result.ion")                 // []map[string]any, like Kestra.read in Python
//	people, err := ion.ReadFile[Employee]("result.ion") // []Employee, no map per row
//	values, err := ion.ReadFile[any]("kv.ion")          // any top-level value: lists, scalars, structs
//
// Which one to call:
//
//	                      a file (path)      an io.Reader, whole   an io.Reader, streamed
//	rows as maps          Read               ReadAll               Rows
//	values as a T         ReadFile[T]        (Values[T], looped)   Values[T]
//
// Prefer ReadFile[T] with a struct T when the columns are known: it holds
// about 1.6 times the file where map rows hold about 4 times, and is
// faster. [Decoder] is what Rows and Values are built on ([Decoder.Next]
// for map rows, [Decoder.Decode] for any value and type), for code that
// wants a loop without iterators; [DecodeRow] fills a struct from a map
// row already read; [Writer] and [WriteFile] write values as Kestra
// writes them. Struct fields are matched through `ion:"name"` tags.
// Text and binary Ion are both read (binary is detected by its version
// marker, and repeated version markers and symbol tables are handled),
// built on github.com/amazon-ion/ion-go.
//
// Kestra does not only write rows of structs: plugin-serdes' CsvToIon
// without a header writes one list per CSV row ([ReadFile] of []string),
// and a KV value file holds one bare value ([ReadFile] of any, string...).
// [Read], [ReadAll] and [Rows] keep their map rows and refuse other
// top-level values with an error wrapping [ErrNotStruct] that says so.
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
// Decoding into Go types ([ReadFile], [Values], [Decoder.Decode],
// [DecodeRow]) converts numbers between kinds when the value fits exactly
// (a Kestra decimal 100.000000 fills an int); a time.Duration takes what
// Kestra writes or reads for a java.time.Duration: seconds as a decimal,
// int or float, or a string of seconds or ISO-8601 ("PT1.5S"). Fields of
// integer, duration, big int and decimal types are read from the exact
// decimal whatever the options, so that no digit is lost on the way.
//
// # Errors
//
// Every read error is an *[Error] with the index of the value and, where
// known, the byte offset, line and field path ("row 3 (line 4, byte 812),
// field hired: invalid LocalDate ..."). Offsets and lines are unknown for
// values after something only the library reads (binary Ion, a symbol
// table): the library does not report where its values start. Malformed
// input never panics and never yields a partial row.
//
// # Hostile input
//
// Binary Ion declares each value's length before its bytes, and the Ion
// library allocates a top-level value's declared length before reading it.
// This package hands binary Ion to the library one top-level value at a
// time, once the value's bytes have arrived (inside a value the library
// checks lengths against the enclosing one), so a file declaring more than
// it holds is an error wrapping [ErrTruncated], not an out-of-memory crash.
// Nesting deeper than 1000 levels is an error, and so is an int or a
// decimal coefficient of more than 10,000 digits (Go parses decimal
// digits in quadratic time: one number of a million digits would take
// seconds; Jackson's default limit for a JSON number is 1,000), and so
// is a binary timestamp of more than 4,096 bytes (the library turns its
// fraction into decimal digits, in more than linear time; a timestamp
// needs about 20 bytes); the number and timestamp errors wrap [ErrLimit].
// Memory for one row stays a small multiple of the row: the tests read
// hostile inputs in a child process under a memory limit with a budget per
// reading function.
//
// The Ion library holds a value's annotations and a symbol table's
// symbols at tens of times their size in the input, and reads appended
// symbol tables in quadratic time (a 1 MB binary file of them allocated
// 238 GB). Before the library reads them, this package counts them, and
// refuses with an error wrapping [ErrLimit]: more than 1000 annotations on
// one value (Kestra writes one; ion-c's reader takes 10 by default), more
// than 100,000 local symbols in a symbol table context (a table and the
// tables appended to it; Kestra's binary files hold one table of their
// field names), or more than 100 tables imported or appended in one
// context (the library looks a symbol up in each, one after the other: 100
// make reading symbols 2.6 times slower). A version marker, or a table that
// does not append, starts a new context.
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
// (64 KiB, or the longest line; values need not be on lines of their own)
// and the current row.
//
// The map rows of [Read] are Go maps and interface values, about 1.6 KB
// per row of 17 fields on the benchmark file (4 times the text), most of
// it the maps themselves: 200,000 maps of 17 entries, all nil, take
// 1,240 bytes each, 2.95 times the benchmark file before any value is
// stored (Go 1.26: 17 entries take a table of 32 slots). [ReadFile] into
// a struct holds about 1.6 times the text. Map rows make almost no
// garbage, so a
// program that reads one large file and exits loses nothing by running
// with GOGC=200: the same peak memory, and a sixth less CPU on one core
// (the package does not change the collector's settings, which belong to
// the program). Repeated strings, numbers and dates share one
// allocation, and string bytes are copied into shared blocks, never kept
// as slices of the input; whole-input reads also box numbers, strings,
// times and lists in blocks of 256 (a block lives as long as one of its
// values), streaming reads one by one.
//
// # Writing
//
// [Writer] writes Ion text as Kestra's FileSerde does, one value per line,
// so that Kestra reads back the intended Java types: ints as Ion ints,
// floats with an exponent (a bare 1.5 would be a decimal), *[Decimal] as
// decimals, time.Time as an Instant (UTC, milliseconds), time.Duration as
// Kestra writes a java.time.Duration (seconds with nine fraction digits:
// 2s is 2.000000000), and the wrappers [LocalDate], [LocalDateTime],
// [OffsetDateTime], [ZonedDateTime], [LocalTime], [OffsetTime] as Kestra
// writes those Java types. Every value the Writer takes reads back into
// the same Go type as the value written (a time.Time to the millisecond
// in UTC, as Kestra keeps an Instant): the tests check this on random
// values of every kind and fuzz it.
package ion
