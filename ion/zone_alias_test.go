package ion

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// oneByteReader hides any ReaderAt and hands out one byte per Read, so the
// streaming reader refills and reuses its buffer all the time.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.r.Read(p)
}

// A region name is parsed in place; the Location a row gets must not alias
// the reader's buffer (reused for later rows) nor the caller's bytes.
func TestZoneNamesDoNotAliasTheInput(t *testing.T) {
	t.Parallel()
	zones := []string{"Europe/Paris", "America/New_York", "Asia/Tokyo", "Nowhere/Unknown_Zone"}
	var src strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&src, "{i:%d,at:ZonedDateTime::\"2024-04-21T13:43:24+02:00[%s]\"}\n", i, zones[i%len(zones)])
	}
	check := func(t *testing.T, rows []map[string]any) {
		t.Helper()
		if len(rows) != 40 {
			t.Fatalf("%d rows, want 40", len(rows))
		}
		for i, row := range rows {
			at, ok := row["at"].(time.Time)
			if !ok {
				t.Fatalf("row %d: at is %T, want time.Time", i, row["at"])
			}
			if got, want := at.Location().String(), zones[i%len(zones)]; got != want {
				t.Fatalf("row %d: location %q, want %q", i, got, want)
			}
		}
	}
	t.Run("stream", func(t *testing.T) {
		var rows []map[string]any
		for row, err := range Rows(oneByteReader{strings.NewReader(src.String())}) {
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row)
		}
		check(t, rows)
	})
	t.Run("caller bytes", func(t *testing.T) {
		b := []byte(src.String())
		rows, err := ReadAll(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for i := range b {
			b[i] = 'x'
		}
		check(t, rows)
	})
}

// A region the zone data lacks is searched for once, not for every value
// naming it (a file repeating one was read at a few hundred KB/s), and the
// names remembered are bounded.
func TestMissingRegionRemembered(t *testing.T) {
	at := func(loc *time.Location) (string, int) {
		return time.Date(2024, 4, 21, 12, 0, 0, 0, time.UTC).In(loc).Zone()
	}
	name := []byte("Nowhere/Missing_Zone")
	regionZone(string(name), 3600)
	// time.LoadLocation allocates 14 times to miss, a fixed zone 3 times.
	if n := testing.AllocsPerRun(20, func() { regionZone(bstr(name), 3600) }); n > 4 {
		t.Errorf("a missing region costs %v allocations each time, want the fixed zone's 3", n)
	}
	loc := regionZone(bstr(name), -7200)
	copy(name, "XXXXXXX")
	if zn, off := at(loc); zn != "Nowhere/Missing_Zone" || off != -7200 {
		t.Errorf("zone %s %d, want Nowhere/Missing_Zone -7200", zn, off)
	}
	for i := range 3 * maxMisses {
		regionZone(fmt.Sprintf("Nowhere/Zone_%d", i), 0)
	}
	missesMu.Lock()
	n := len(misses)
	missesMu.Unlock()
	if n > maxMisses {
		t.Errorf("%d missing regions remembered, want at most %d", n, maxMisses)
	}
}
