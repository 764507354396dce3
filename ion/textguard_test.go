package ion

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestTextGuard: where the library reads text, an int or a decimal of more
// than maxNumberDigits significant digits is refused before the library
// converts it (see textGuard), and digits anywhere else pass untouched.
func TestTextGuard(t *testing.T) {
	long := strings.Repeat("7", maxNumberDigits+1)
	fine := map[string]any{
		`"` + long + `"`:          long,
		`"\"` + long + `"`:        `"` + long,
		`'` + long + `'`:          long,
		`'''a''` + long + `'''`:   "a''" + long,
		`'''a\'''` + long + `'''`: "a'''" + long,
		`''`:                      "",
		`a` + long:                "a" + long,
		`$` + long[:3]:            nil, // a symbol ID: no text, the library's own error
		"// " + long + "\n1":      int64(1),
		"/* " + long + " */ 1":    int64(1),
		"/* * " + long + " **/ 1": int64(1),
		`{{"` + long + `"}}`:      []byte(long),
		`{{'''` + long + `'''}}`:  []byte(long),
		`{{` + strings.Repeat("7777", 2501) + `}}`:          nil,
		`1.` + long + `e0`:                                  nil,
		long + `e0`:                                         nil,
		`2024-01-01T00:00:00.` + long + `Z`:                 nil,
		`0x` + strings.Repeat("7", 8000):                    nil,
		`0.` + strings.Repeat("0", 3*maxNumberDigits) + `1`: nil,
		`[` + long[1:] + `]`:                                nil, // exactly the limit
		`-` + long[1:] + `.`:                                nil,
		`{a:"}", b:` + long[1:] + `}`:                       nil,
	}
	for in, want := range fine {
		if out, err := io.ReadAll(&textGuard{src: iotest.HalfReader(strings.NewReader(in))}); err != nil || string(out) != in {
			t.Errorf("%.40q through the guard: %v", in, err)
		}
		for _, data := range []string{"/* to the library */ " + in, in} {
			opts := []Option{}
			if data == in {
				opts = append(opts, WithoutFastPath())
			}
			got, err := readAll[any](strings.NewReader(data), newConfig(opts))
			if strings.HasPrefix(in, "$") {
				if err == nil || errors.Is(err, errNumberDigits) {
					t.Errorf("%.40q: %v, want the library's symbol error", data, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%.40q (%d bytes): %v", data, len(data), err)
				continue
			}
			if want != nil && (len(got) != 1 || !sameValue(got[0], want)) {
				t.Errorf("%.40q: read %.60s", data, dump(got))
			}
		}
	}
	for _, in := range []string{
		long, "[" + long + "]", "{a:" + long + "}", "-" + long, "1_" + long, long + ".5", "0." + long,
		long + "d3", "(a " + long + ")", "(+" + long + ")", "a::" + long, `'\''` + long, `"\\"` + long,
		"'''x''' " + long, "{{aGk=}} " + long, "/**/" + long, "//\n" + long, "{a:1}\n" + long + "\n",
	} {
		if _, err := io.ReadAll(&textGuard{src: iotest.OneByteReader(strings.NewReader(in))}); err != errNumberDigits {
			t.Errorf("%.40q through the guard: %v, want %v", in, err, errNumberDigits)
		}
		for _, data := range []string{"/* to the library */ " + in, in} {
			opts := []Option{}
			if data == in {
				opts = append(opts, WithoutFastPath())
			}
			_, err := readAll[any](bytes.NewReader([]byte(data)), newConfig(opts))
			if !errors.Is(err, errNumberDigits) {
				t.Errorf("%.40q: %v, want %v", data, err, errNumberDigits)
			}
		}
	}
}
