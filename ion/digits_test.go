package ion

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// Numbers of more digits than maxNumberDigits are an error on every path,
// before Go's quadratic decimal parsing runs on them; numbers just within
// the bound read.
func TestNumberDigitsBound(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("7", maxNumberDigits+1)
	type row struct {
		N int           `ion:"a"`
		D time.Duration `ion:"b"`
	}
	for name, in := range map[string]string{
		"int":             "{a:" + long + "}\n",
		"negative int":    "{a:-" + long + "}\n",
		"decimal":         "{a:" + long + ".5}\n",
		"fraction":        "{a:0." + long + "}\n",
		"exponent":        "{a:" + long + "d-3}\n",
		"in a list":       "{a:[1," + long + "]}\n",
		"duration string": "{b:\"" + long + "\"}\n",
	} {
		for how, err := range map[string]error{
			"ReadAll":        second(ReadAll(strings.NewReader(in))),
			"library":        second(ReadAll(strings.NewReader(in), WithoutFastPath())),
			"Values[row]":    firstErr(Values[row](strings.NewReader(in))),
			"Values[any]":    firstErr(Values[any](strings.NewReader(in), ExactDecimals())),
			"Values/library": firstErr(Values[row](strings.NewReader(in), WithoutFastPath())),
		} {
			if name == "duration string" && (how == "ReadAll" || how == "library" || how == "Values[any]") {
				continue // a string, read as such
			}
			if !errors.Is(err, errNumberDigits) {
				t.Errorf("%s, %s: %v, want an error wrapping %q", name, how, err, errNumberDigits)
			}
		}
	}
	// Within the bound, and leading zeros of a fraction not counted.
	for _, in := range []string{
		"{a:" + long[1:] + "}\n",
		"{a:0.000" + long[1:] + "}\n",
	} {
		if _, err := ReadAll(strings.NewReader(in)); err != nil {
			t.Errorf("%.20s...: %v", in, err)
		}
		if _, err := ReadAll(strings.NewReader(in), WithoutFastPath()); err != nil {
			t.Errorf("library, %.20s...: %v", in, err)
		}
	}
	// Binary ints and decimals too: 10^10000 in 4,153 bytes.
	mag := tenPowMaxDigits().Bytes()
	binInt := cat(binary(0x2E), varUInt(uint64(len(mag))), mag)
	binDec := cat(binary(0x5E), varUInt(uint64(len(mag)+1)), []byte{0x80}, mag) // exponent 0
	for name, in := range map[string][]byte{"binary int": binInt, "binary decimal": binDec} {
		if err := firstErr(Values[any](bytes.NewReader(in))); !errors.Is(err, errNumberDigits) {
			t.Errorf("%s: %v, want an error wrapping %q", name, err, errNumberDigits)
		}
	}
}

func second[T any](_ T, err error) error { return err }
