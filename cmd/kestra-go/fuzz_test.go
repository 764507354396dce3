package main

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzClean: whatever a server sends, what is printed has no control
// character (but line breaks and tabs in multi-line text), is valid UTF-8,
// and clean text is printed unchanged. In JSON, the escaping keeps the
// document valid and the value the same.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "plain", "line\nbreak\ttab", "\x1b[31mred\x1b[0m", "\r\x00\x7f", "\u009b\u0085", "\u202eabc\u2066", "\xff\xfe bad utf8", "\xe2\x80", "é 漢字 😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, keep := range []bool{true, false} {
			out := clean(s, keep)
			if !utf8.ValidString(out) {
				t.Fatalf("clean(%q) = %q: invalid UTF-8", s, out)
			}
			for _, r := range out {
				if unsafeRune(r) && !(keep && (r == '\n' || r == '\t')) {
					t.Fatalf("clean(%q, %v) = %q keeps %U", s, keep, out, r)
				}
			}
			if isClean(s, keep) && out != s {
				t.Fatalf("clean text changed: %q -> %q", s, out)
			}
		}
		b, err := json.Marshal(map[string]string{"v": s})
		if err != nil {
			t.Fatal(err)
		}
		esc := escapeJSONText(string(b))
		var back map[string]string
		if err := json.Unmarshal([]byte(esc), &back); err != nil {
			t.Fatalf("escaped JSON %q does not parse: %v", esc, err)
		}
		if want := string([]rune(s)); back["v"] != want { // each invalid byte: U+FFFD, as encoding/json does
			t.Fatalf("value changed: %q -> %q", want, back["v"])
		}
		for _, r := range esc {
			if r != '\n' && unsafeRune(r) {
				t.Fatalf("escaped JSON keeps %U: %q", r, esc)
			}
		}
	})
}

// FuzzParseArgs: the key=value and key:value parsers never panic, and
// what they accept has a non-empty key.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{"a=b", "=b", "a=", "a", "tags=[\"x\",\"y\"]", "k:v", "url:http://x:1", ":", " : ", "system.x:y", "\x00=\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := &app{stdin: strings.NewReader("")}
		if in, closeFiles, err := a.parseInputs([]string{s}, nil); err == nil {
			for k := range in {
				if k == "" {
					t.Fatalf("empty input key from %q", s)
				}
			}
			closeFiles()
		}
		if kvs, err := parseLabels("label", []string{s}, true); err == nil {
			if len(kvs) != 2 || kvs[0] == "" || kvs[1] == "" {
				t.Fatalf("parseLabels(%q) = %q", s, kvs)
			}
		}
	})
}
