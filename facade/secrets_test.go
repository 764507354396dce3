package facade_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/facade"
)

// leakyServer echoes the request's credentials wherever a server or proxy
// could put them: error bodies of both formats and plain text, a header
// quoted by an error, a date field that fails to parse, a redirect to a
// path made of them, an event stream.
func leakyServer(t *testing.T, mode string) string {
	refused := dialRefused(t)
	return newTinyServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		u, p, _ := r.BasicAuth()
		auth := r.Header.Get("Authorization")
		token := strings.TrimPrefix(auth, "Bearer ")
		leak := fmt.Sprintf("user %s password %s header %s token %s", u, p, auth, token)
		switch mode {
		case "message":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprintf(w, `{"message":%q,"_embedded":{"errors":[{"message":%q,"path":%q}]}}`, leak, leak, leak)
		case "problem":
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"type":%q,"title":%q,"status":401,"detail":%q,"instance":%q,"errors":[{"detail":%q,"pointer":%q}]}`, leak, leak, leak, leak, leak, leak)
		case "text":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, leak)
		case "content-type":
			w.Header().Set("Content-Type", "text/"+strings.ReplaceAll(leak, " ", "-"))
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, leak)
		case "bad date":
			w.Header().Set("Content-Type", "application/json")
			if strings.HasSuffix(r.URL.Path, "/follow") {
				w.Header().Set("Content-Type", "text/event-stream")
				fmt.Fprintf(w, "id: end\ndata: {\"id\":%q}\n\n", leak)
				return
			}
			fmt.Fprintf(w, `{"id":"e1","namespace":"ns","flowId":"f","state":{"current":"SUCCESS","startDate":%q,"histories":[{"state":"CREATED","date":%q}]},"results":[{"id":%q}],"total":%q}`, leak, leak, leak, leak)
		case "redirect":
			http.Redirect(w, r, refused+"/"+url64(leak), http.StatusFound)
		}
	})
}

func url64(s string) string {
	return strings.NewReplacer(" ", "/", ":", "/").Replace(s)
}

// No error of the package shows the password, the token or the base64 basic
// credentials, whatever the server echoes and wherever.
func TestNoErrorShowsASecret(t *testing.T) {
	t.Parallel()
	const (
		user     = "admin@example.com"
		password = "Pa55-word-secret"
		token    = "tok-very-secret-123"
	)
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	for _, mode := range []string{"message", "problem", "text", "content-type", "bad date", "redirect"} {
		for _, auth := range []facade.Option{facade.WithBasicAuth(user, password), facade.WithAPIToken(token)} {
			f, err := facade.New(facade.WithHostname(leakyServer(t, mode)), facade.WithBasicAuth("", ""), facade.WithAPIToken(""), auth,
				facade.WithRetry(2, time.Millisecond, 2*time.Millisecond), facade.WithCreateLookupWindow(10*time.Millisecond),
				facade.WithPollInterval(5*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			ctx := ctxFor(t, 10*time.Second)
			var errs []error
			add := func(_ any, err error) { errs = append(errs, err) }
			add(f.Execute(ctx, "ns", "flow", map[string]any{"a": "b"}))
			w, err := f.Wait(ctx, "e1")
			add(w, err)
			add(f.CheckStatus(ctx, "e1"))
			add(f.GetLogs(ctx, "e1"))
			add(f.Kill(ctx, "e1"))
			add(f.Pause(ctx, "e1"))
			add(f.Resume(ctx, "e1", map[string]any{"x": 1}))
			add(f.Restart(ctx, "e1"))
			add(f.Replay(ctx, "e1", nil))
			add(f.Replay(ctx, "e1", map[string]any{"x": 1}))
			add(f.SetLabels(ctx, "e1", []api.Label{{Key: "k", Value: "v"}}))
			add(f.ChangeStatus(ctx, "e1", api.StateTypeFailed))
			add(f.Unqueue(ctx, "e1", api.StateTypeRunning))
			add(f.ForceRun(ctx, "e1"))
			c, tenant, err := f.API()
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.GetExecutionWithResponse(ctx, tenant, "e1")
			// The transport's errors are redacted; a decoding error of the
			// generated client is passed through RedactError.
			add(nil, f.RedactError(err))
			if err == nil {
				add(nil, f.ResponseError("getExecution", resp))
			}
			failures := 0
			for i, err := range errs {
				if err == nil {
					continue
				}
				failures++
				text := err.Error() + fmt.Sprintf(" %v %+v %s", err, err, err)
				for _, secret := range []string{password, token, basic} {
					if strings.Contains(text, secret) {
						t.Errorf("%s, call %d: error shows a secret: %s", mode, i, text)
					}
				}
			}
			if failures < len(errs)/2 {
				t.Errorf("%s: only %d of %d calls failed: the suite does not exercise the errors", mode, failures, len(errs))
			}
		}
	}
}
