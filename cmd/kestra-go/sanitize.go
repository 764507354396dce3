package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanText makes text from the server safe to print on a terminal or in a
// CI log: control characters (escape sequences, carriage returns, C1
// controls) are shown escaped, so a log line cannot move the cursor,
// rewrite earlier lines or change colours. Line breaks and tabs stay.
func cleanText(s string) string { return clean(s, true) }

// cleanLine is cleanText for a one-line field: line breaks are escaped too.
func cleanLine(s string) string { return clean(s, false) }

func clean(s string, keepLines bool) string {
	if isClean(s, keepLines) {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case unsafeRune(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isClean(s string, keepLines bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unsafeRune(r) && !(keepLines && (r == '\n' || r == '\t')) {
			return false
		}
	}
	return true
}

// unsafeRune: C0 and C1 controls, DEL, and the bidirectional overrides that
// can make a terminal show text in another order than it is.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
