package ion

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
)

// FuzzRead feeds arbitrary bytes to the reader: it must never panic, errors
// must be *Error values, and the fast path must agree with the library walk.
func FuzzRead(f *testing.F) {
	files, _ := os.ReadDir("testdata")
	for _, e := range files {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile("testdata/" + e.Name())
		if err == nil {
			f.Add(data)
			for _, line := range bytes.Split(data, []byte("\n")) {
				f.Add(line)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"default", "all"} {
			opts := optionSets[name]
			differential(t, name, data, opts)
		}
		d := NewDecoder(bytes.NewReader(data))
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %v (%T) is not an *Error", err, err)
				}
				break
			}
		}
	})
}
