package ion

import "time"

// An Option changes how values are converted while reading.
type Option func(*config)

type config struct {
	exactDecimals   bool
	intDecimals     bool // decimals for an integer target: float64 when that is exact, else *Decimal
	localLoc        *time.Location
	isoStrings      bool
	keepAnnotations bool
	noFastPath      bool
}

func newConfig(opts []Option) config {
	c := config{localLoc: time.UTC}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.localLoc == nil {
		c.localLoc = time.UTC
	}
	return c
}

// ExactDecimals returns Ion decimals as *[Decimal] (arbitrary precision,
// with the value's scale, so "24000.000000" keeps its six fraction digits)
// instead of float64. Without it, decimals are converted to the nearest
// float64, as Kestra's Python client does, which loses digits beyond about 15
// significant ones.
func ExactDecimals() Option { return func(c *config) { c.exactDecimals = true } }

// LocalLocation sets the location given to values that carry no offset:
// LocalDateTime, LocalDate and LocalTime annotated strings, day-precision
// (and coarser) Ion timestamps, and offset-less strings converted by
// [ParseISOStrings]. The default is time.UTC, so that reading a file gives the
// same time.Time on every machine; pass time.Local to read wall-clock values
// as the machine's local time. A nil location means time.UTC.
func LocalLocation(loc *time.Location) Option { return func(c *config) { c.localLoc = loc } }

// ParseISOStrings converts plain (unannotated) strings that look like an
// ISO-8601 date-time, "2024-04-21T13:43:24(.fraction)?(Z|±hh:mm)?", to
// time.Time, as Kestra's Python client does for every string. It is off by
// default because it loses information: the server stores these values as
// strings, so a string field that happens to hold a date (a comment, an ID)
// silently changes type, and writing the row back would write a timestamp.
// Strings that match the pattern but are not valid dates stay strings.
func ParseISOStrings() Option { return func(c *config) { c.isoStrings = true } }

// KeepAnnotations wraps every annotated value that is not converted to a
// time (its first annotation is not one of Kestra's seven time annotations,
// or the value is not text) in an [Annotated], so callers can see the
// annotations. Without it such values are returned as if unannotated.
// Annotated nulls stay nil.
// Annotations on a top-level row are always ignored.
func KeepAnnotations() Option { return func(c *config) { c.keepAnnotations = true } }

// WithoutFastPath reads everything with the Ion library's reader instead of
// this package's fast text parser. The results are identical (the package's
// differential tests check this); the option exists for comparison and as a
// safety switch.
func WithoutFastPath() Option { return func(c *config) { c.noFastPath = true } }
