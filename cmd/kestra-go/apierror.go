package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/kestra-go/kestra-go/facade"
)

// responseError describes a non-2xx answer of a call made with the
// generated client, for the commands the facade does not wrap yet. It
// matches the facade's sentinels (ErrUnauthorized...) through a
// *facade.APIError.
func responseError(op string, status int, body []byte) error {
	var b struct {
		Message string `json:"message"`
		Detail  string `json:"detail"`
		Title   string `json:"title"`
	}
	_ = json.Unmarshal(body, &b)
	msg := b.Message
	if msg == "" {
		msg = b.Detail
	}
	if msg == "" {
		msg = b.Title
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	if len(msg) > 500 {
		msg = msg[:500] + "..."
	}
	return fmt.Errorf("%s: %w", op, &facade.APIError{Operation: op, StatusCode: status, Message: strings.TrimSpace(msg)})
}
