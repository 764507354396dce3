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
