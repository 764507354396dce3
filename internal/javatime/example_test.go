package javatime_test

import (
	"fmt"
	"time"

	"github.com/kestra-go/kestra-go/internal/javatime"
)

func ExampleFormatDuration() {
	fmt.Println(javatime.FormatDuration(90 * time.Minute))
	fmt.Println(javatime.FormatDuration(-90 * time.Minute))
	fmt.Println(javatime.FormatDuration(-500 * time.Millisecond))
	// Output:
	// PT1H30M
	// PT-1H-30M
	// PT-0.5S
}

func ExampleParseDuration() {
	d, err := javatime.ParseDuration("-PT-6H+3M")
	fmt.Println(d, err)
	_, err = javatime.ParseDuration("P1W")
	fmt.Println(err)
	// Output:
	// PT5H57M <nil>
	// javatime: "P1W": Text cannot be parsed to a Duration
}

func ExampleFormatInstant() {
	t := time.Date(2026, 5, 1, 12, 0, 0, 120_000_000, time.FixedZone("CEST", 2*3600))
	fmt.Println(javatime.FormatInstant(t))
	// Output: 2026-05-01T10:00:00.120Z
}
